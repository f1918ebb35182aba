/*
 * sipcodes_data.h - the registry: every SIP response code sipcodes knows, one
 * row per code.  This is the single source of truth; sipcodes.c generates
 * the sorted entry array, the code index and the name table from it, and the
 * Lua module sees only what those give.
 *
 * Provenance: codes, reason phrases and references follow the IANA "Session
 * Initiation Protocol (SIP) Parameters / Response Codes" registry
 * (sip-parameters-7, copy of 2026-01-07) and the RFCs it cites; obsolete
 * codes (409, 411) come from RFC 2543; non-standard codes from the stacks
 * that list them: 490 from the tables of pjsip and sofia-sip, 687 from
 * sofia-sip's (sip_status.h), 701-703 from the status-text table of pjsip
 * (pjsip/src/pjsip/sip_msg.c); docs/registry.md gives the source of each.
 * German phrases and all descriptions are our own words.
 *
 * X(code, NAME, "Reason", STATUS, "RFC list", "German phrase",
 *   "English description", "German description")
 *   - rows in ascending code order (ctest/test_registry.c checks this, and a
 *     repeated code is a compile error through -Woverride-init);
 *   - STATUS is STANDARD, DEPRECATED, OBSOLETE or NONSTANDARD;
 *   - "RFC list" is "RFC 3261" or "RFC 3261, RFC 6665", "" when none; for a
 *     registered code the first RFC is the IANA reference, later ones defined
 *     or named the code before it;
 *   - strings are UTF-8.
 */
#ifndef SIPCODES_DATA_H
#define SIPCODES_DATA_H

#define SIPCODES_MAP(X) \
    X(100, TRYING, "Trying", STANDARD, "RFC 3261", "Wird versucht", \
      "The next hop has the request and is working on it; this stops retransmissions of an INVITE.", \
      "Der nächste Knoten hat die Anfrage erhalten und bearbeitet sie; ein INVITE wird nicht mehr wiederholt.") \
    X(180, RINGING, "Ringing", STANDARD, "RFC 3261", "Es klingelt", \
      "The callee's device has received the call and is alerting the user, for example by ringing.", \
      "Das Endgerät des Angerufenen hat den Anruf erhalten und signalisiert ihn, etwa durch Klingeln.") \
    X(181, CALL_IS_BEING_FORWARDED, "Call Is Being Forwarded", STANDARD, "RFC 3261", "Wird weitergeleitet", \
      "A proxy or the callee's server is passing the call on to one or more other destinations.", \
      "Ein Proxy oder der Server des Angerufenen leitet den Anruf an ein oder mehrere andere Ziele weiter.") \
    X(182, QUEUED, "Queued", STANDARD, "RFC 3261", "In Warteschlange", \
      "The callee cannot take the call right now, but it has been put in a queue instead of being rejected.", \
      "Der Angerufene kann den Anruf gerade nicht annehmen; er wurde in eine Warteschlange gestellt statt abgewiesen.") \
    X(183, SESSION_PROGRESS, "Session Progress", STANDARD, "RFC 3261", "Verbindungsaufbau", \
      "Call setup is progressing; this response often carries early media such as a ringback tone or an announcement.", \
      "Der Verbindungsaufbau läuft; die Antwort bringt oft Early Media wie ein Freizeichen oder eine Ansage mit.") \
    X(199, EARLY_DIALOG_TERMINATED, "Early Dialog Terminated", STANDARD, "RFC 6228", "Früher Dialog beendet", \
      "One early dialog of a forked call ended before the final answer; the caller can free what it reserved for that dialog.", \
      "Ein früher Dialog eines verzweigten Anrufs endete vor der endgültigen Antwort; der Anrufer kann dafür Reserviertes freigeben.") \
    X(200, OK, "OK", STANDARD, "RFC 3261", "OK", \
      "The request succeeded; for an INVITE the call is answered and the caller confirms with an ACK.", \
      "Die Anfrage war erfolgreich; bei einem INVITE ist der Anruf angenommen und der Anrufer bestätigt mit ACK.") \
    X(202, ACCEPTED, "Accepted", DEPRECATED, "RFC 6665, RFC 3265", "Angenommen", \
      "The request was accepted for later processing; RFC 6665 deprecates the code, but receivers still treat it as success.", \
      "Die Anfrage wurde zur späteren Bearbeitung angenommen; RFC 6665 erklärt den Code für veraltet, er gilt aber als Erfolg.") \
    X(204, NO_NOTIFICATION, "No Notification", STANDARD, "RFC 5839", "Keine Benachrichtigung", \
      "The subscription was refreshed, but no NOTIFY follows because the state has not changed since the version the subscriber has.", \
      "Das Abonnement wurde erneuert, ein NOTIFY folgt aber nicht, weil sich der Zustand seit der bekannten Version nicht geändert hat.") \
    X(300, MULTIPLE_CHOICES, "Multiple Choices", STANDARD, "RFC 3261", "Mehrere Ziele", \
      "The address leads to several locations; the Contact header lists them and the caller may pick one.", \
      "Die Adresse führt zu mehreren Zielen; der Contact-Header listet sie auf und der Anrufer kann eines wählen.") \
    X(301, MOVED_PERMANENTLY, "Moved Permanently", STANDARD, "RFC 3261", "Dauerhaft umgezogen", \
      "The callee is no longer at this address; retry at the Contact address and update any stored copy of the old one.", \
      "Der Angerufene ist unter dieser Adresse nicht mehr erreichbar; an der Contact-Adresse neu versuchen und Gespeichertes anpassen.") \
    X(302, MOVED_TEMPORARILY, "Moved Temporarily", STANDARD, "RFC 3261", "Vorübergehend umgezogen", \
      "The callee is reachable elsewhere for now; retry this request at the Contact address but keep the original address.", \
      "Vorerst unter anderer Adresse zu erreichen: diese Anfrage an die Contact-Adresse richten, die ursprüngliche aber nicht ersetzen.") \
    X(305, USE_PROXY, "Use Proxy", STANDARD, "RFC 3261", "Proxy verwenden", \
      "The request has to go through the proxy named in the Contact header; only a user agent server may send this.", \
      "Die Anfrage muss über den im Contact-Header genannten Proxy laufen; nur ein User Agent Server darf dies senden.") \
    X(380, ALTERNATIVE_SERVICE, "Alternative Service", STANDARD, "RFC 3261", "Alternativer Dienst", \
      "The call failed, but other services could be used instead; the response body describes them.", \
      "Der Anruf ist fehlgeschlagen, andere Dienste wären aber möglich; der Nachrichtenrumpf beschreibt sie.") \
    X(400, BAD_REQUEST, "Bad Request", STANDARD, "RFC 3261", "Ungültige Anfrage", \
      "The request was malformed and could not be understood; the reason phrase should say what was wrong.", \
      "Die Anfrage war fehlerhaft aufgebaut und wurde nicht verstanden; die Begründung sollte den Fehler nennen.") \
    X(401, UNAUTHORIZED, "Unauthorized", STANDARD, "RFC 3261", "Nicht autorisiert", \
      "The user agent or registrar wants authentication; resend the request with credentials for its WWW-Authenticate challenge.", \
      "Der User Agent oder Registrar verlangt eine Anmeldung; die Anfrage mit Zugangsdaten zur WWW-Authenticate-Challenge neu senden.") \
    X(402, PAYMENT_REQUIRED, "Payment Required", STANDARD, "RFC 3261", "Zahlung erforderlich", \
      "Reserved for future use; some providers send it when an account has run out of credit.", \
      "Für künftige Nutzung reserviert; manche Anbieter senden ihn, wenn ein Konto kein Guthaben mehr hat.") \
    X(403, FORBIDDEN, "Forbidden", STANDARD, "RFC 3261", "Verboten", \
      "The request was understood and deliberately refused; credentials would not change the answer, so repeating it is pointless.", \
      "Die Anfrage wurde verstanden und bewusst abgelehnt; auch mit Anmeldedaten ändert sich daran nichts, ein neuer Versuch ist zwecklos.") \
    X(404, NOT_FOUND, "Not Found", STANDARD, "RFC 3261", "Nicht gefunden", \
      "The user does not exist in the domain of the Request-URI, or that domain is not served here.", \
      "Der Teilnehmer existiert in der Domain der Request-URI nicht, oder diese Domain wird hier nicht bedient.") \
    X(405, METHOD_NOT_ALLOWED, "Method Not Allowed", STANDARD, "RFC 3261", "Methode nicht erlaubt", \
      "This address does not accept the method, although the server knows it; the Allow header lists the methods it takes.", \
      "Die Methode ist bekannt, für diese Adresse aber nicht erlaubt; der Allow-Header nennt die erlaubten Methoden.") \
    X(406, NOT_ACCEPTABLE, "Not Acceptable", STANDARD, "RFC 3261", "Nicht akzeptabel", \
      "The target can only produce content that the Accept headers of the request rule out.", \
      "Das Ziel kann nur Inhalte liefern, die laut den Accept-Headern der Anfrage nicht akzeptiert werden.") \
    X(407, PROXY_AUTHENTICATION_REQUIRED, "Proxy Authentication Required", STANDARD, "RFC 3261", "Proxy-Anmeldung erforderlich", \
      "A proxy wants authentication; resend the request with credentials for its Proxy-Authenticate challenge.", \
      "Ein Proxy verlangt eine Anmeldung; die Anfrage mit Zugangsdaten zur Proxy-Authenticate-Challenge neu senden.") \
    X(408, REQUEST_TIMEOUT, "Request Timeout", STANDARD, "RFC 3261", "Anfrage-Timeout", \
      "No final answer came in time, for example because the callee could not be located; the request may be retried later.", \
      "Es kam nicht rechtzeitig eine endgültige Antwort, etwa weil der Angerufene nicht gefunden wurde; später erneut versuchen.") \
    X(409, CONFLICT, "Conflict", OBSOLETE, "RFC 2543", "Konflikt", \
      "Only in RFC 2543: the request clashed with the current state, such as existing registrations; RFC 3261 dropped the code.", \
      "Nur in RFC 2543: die Anfrage widersprach dem aktuellen Zustand, etwa bestehenden Registrierungen; RFC 3261 strich den Code.") \
    X(410, GONE, "Gone", STANDARD, "RFC 3261", "Nicht mehr vorhanden", \
      "The user used to exist here but is permanently gone, and the server knows of no address to forward to.", \
      "Den Teilnehmer gab es hier einmal, er ist aber dauerhaft weg und keine Weiterleitungsadresse ist bekannt.") \
    X(411, LENGTH_REQUIRED, "Length Required", OBSOLETE, "RFC 2543", "Länge erforderlich", \
      "Only in RFC 2543: the server wanted a Content-Length header that the request lacked; RFC 3261 dropped the code.", \
      "Nur in RFC 2543: der Server verlangte einen Content-Length-Header, der in der Anfrage fehlte; RFC 3261 strich den Code.") \
    X(412, CONDITIONAL_REQUEST_FAILED, "Conditional Request Failed", STANDARD, "RFC 3903", "Bedingung nicht erfüllt", \
      "The entity tag in the SIP-If-Match header of a PUBLISH no longer matches; publish the full state again.", \
      "Das Entity-Tag im SIP-If-Match-Header eines PUBLISH passt nicht mehr; den vollständigen Zustand neu veröffentlichen.") \
    X(413, REQUEST_ENTITY_TOO_LARGE, "Request Entity Too Large", STANDARD, "RFC 3261", "Anfrage zu groß", \
      "The request body exceeds what the server will take; a Retry-After header means the limit is only temporary.", \
      "Der Rumpf der Anfrage ist größer, als der Server verarbeitet; ein Retry-After-Header zeigt eine vorübergehende Grenze an.") \
    X(414, REQUEST_URI_TOO_LONG, "Request-URI Too Long", STANDARD, "RFC 3261", "Request-URI zu lang", \
      "The target address in the request line is too long for this server to handle; shorten it, for example by dropping URI parameters.", \
      "Die Zieladresse in der Anfragezeile ist für diesen Server zu lang; sie muss kürzer werden, etwa ohne URI-Parameter.") \
    X(415, UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", STANDARD, "RFC 3261", "Medientyp nicht unterstützt", \
      "The format, encoding or language of the body is not supported; the Accept headers of the response list what is.", \
      "Format, Kodierung oder Sprache des Rumpfs werden nicht unterstützt; die Accept-Header der Antwort nennen die möglichen.") \
    X(416, UNSUPPORTED_URI_SCHEME, "Unsupported URI Scheme", STANDARD, "RFC 3261", "URI-Schema nicht unterstützt", \
      "The server does not understand the scheme of the Request-URI; retrying with a sip or sips URI may work.", \
      "Der Server kennt das Schema der Request-URI nicht; ein neuer Versuch mit einer sip- oder sips-URI kann gelingen.") \
    X(417, UNKNOWN_RESOURCE_PRIORITY, "Unknown Resource-Priority", STANDARD, "RFC 4412", "Unbekannte Ressourcenpriorität", \
      "The Resource-Priority header used a namespace or level the server does not know; Accept-Resource-Priority lists those it does.", \
      "Der Resource-Priority-Header nutzt einen unbekannten Namensraum oder Wert; Accept-Resource-Priority nennt die bekannten.") \
    X(420, BAD_EXTENSION, "Bad Extension", STANDARD, "RFC 3261", "Unbekannte Erweiterung", \
      "The server does not support an extension demanded in Proxy-Require or Require; the Unsupported header names it.", \
      "Der Server unterstützt eine in Proxy-Require oder Require geforderte Erweiterung nicht; der Unsupported-Header nennt sie.") \
    X(421, EXTENSION_REQUIRED, "Extension Required", STANDARD, "RFC 3261", "Erweiterung erforderlich", \
      "The server needs an extension that the request did not declare as supported; the Require header names it.", \
      "Der Server braucht eine Erweiterung, die die Anfrage nicht als unterstützt angibt; der Require-Header nennt sie.") \
    X(422, SESSION_INTERVAL_TOO_SMALL, "Session Interval Too Small", STANDARD, "RFC 4028", "Session-Intervall zu kurz", \
      "The Session-Expires interval is below what the server accepts; retry with at least the value given in Min-SE.", \
      "Das Session-Expires-Intervall liegt unter dem Minimum des Servers; mit mindestens dem Wert aus Min-SE neu senden.") \
    X(423, INTERVAL_TOO_BRIEF, "Interval Too Brief", STANDARD, "RFC 3261", "Intervall zu kurz", \
      "The expiry asked for a registration or subscription is too short; retry with at least the Min-Expires value.", \
      "Die gewünschte Dauer einer Registrierung oder eines Abonnements ist zu kurz; mit mindestens Min-Expires neu senden.") \
    X(424, BAD_LOCATION_INFORMATION, "Bad Location Information", STANDARD, "RFC 6442", "Ungültige Standortangabe", \
      "The location sent with the request was malformed or unusable for routing; the Geolocation-Error header says why.", \
      "Die mitgesendete Standortangabe war fehlerhaft oder für das Routing unbrauchbar; der Geolocation-Error-Header nennt den Grund.") \
    X(425, BAD_ALERT_MESSAGE, "Bad Alert Message", STANDARD, "RFC 8876", "Ungültige Alarmmeldung", \
      "The alert data (a CAP message) of a non-interactive emergency call was malformed or refused; AlertMsg-Error says why.", \
      "Die Alarmdaten (eine CAP-Nachricht) eines nicht interaktiven Notrufs waren fehlerhaft oder wurden abgelehnt; AlertMsg-Error nennt den Grund.") \
    X(428, USE_IDENTITY_HEADER, "Use Identity Header", STANDARD, "RFC 8224, RFC 4474", "Identity-Header erforderlich", \
      "The server only accepts requests signed with an Identity header, and this one carried none.", \
      "Der Server nimmt nur mit einem Identity-Header signierte Anfragen an, und diese hatte keinen.") \
    X(429, PROVIDE_REFERRER_IDENTITY, "Provide Referrer Identity", STANDARD, "RFC 3892", "Referrer-Identität angeben", \
      "The refer target turns down the request a REFER led to, usually an INVITE, because it carries no valid signed Referred-By token.", \
      "Das Ziel eines REFER lehnt die daraus folgende Anfrage, meist ein INVITE, ab, weil ihr ein gültiges signiertes Referred-By-Token fehlt.") \
    X(430, FLOW_FAILED, "Flow Failed", STANDARD, "RFC 5626", "Flow ausgefallen", \
      "One specific outbound flow to the user agent has failed, though others may still work; user agents handle it like 400.", \
      "Ein bestimmter Outbound-Flow zum Endgerät ist ausgefallen, andere können noch funktionieren; Endgeräte werten es wie 400.") \
    X(433, ANONYMITY_DISALLOWED, "Anonymity Disallowed", STANDARD, "RFC 5079", "Anonymität nicht erlaubt", \
      "The callee's policy rejects anonymous requests; retry without hiding the caller's identity.", \
      "Die Richtlinie des Angerufenen lehnt anonyme Anfragen ab; ohne unterdrückte Identität erneut versuchen.") \
    X(436, BAD_IDENTITY_INFO, "Bad Identity Info", STANDARD, "RFC 8224, RFC 4474", "Ungültige Identity-Info", \
      "The info URI of the Identity header could not be fetched or uses an unsupported scheme, so the signature cannot be checked.", \
      "Die info-URI im Identity-Header ließ sich nicht abrufen oder ihr Schema wird nicht unterstützt; die Signatur ist so nicht prüfbar.") \
    X(437, UNSUPPORTED_CREDENTIAL, "Unsupported Credential", STANDARD, "RFC 8224, RFC 4474", "Nachweis nicht unterstützt", \
      "The verifier could not validate the certificate or other credential of the signer named in the Identity header.", \
      "Der Prüfer konnte das Zertifikat oder den sonstigen Nachweis des im Identity-Header genannten Signierers nicht validieren.") \
    X(438, INVALID_IDENTITY_HEADER, "Invalid Identity Header", STANDARD, "RFC 8224, RFC 4474", "Ungültiger Identity-Header", \
      "The signature in the Identity header did not verify against the request, so its claimed origin cannot be trusted.", \
      "Die Signatur im Identity-Header passt nicht zur Anfrage; der angegebenen Herkunft ist nicht zu trauen.") \
    X(439, FIRST_HOP_LACKS_OUTBOUND_SUPPORT, "First Hop Lacks Outbound Support", STANDARD, "RFC 5626", "Erster Hop ohne Outbound-Unterstützung", \
      "The registrar supports SIP Outbound, but the first-hop proxy of this registration does not, so no outbound flow is possible.", \
      "Der Registrar unterstützt SIP Outbound, der erste Proxy dieser Registrierung aber nicht; ein Outbound-Fluss ist nicht möglich.") \
    X(440, MAX_BREADTH_EXCEEDED, "Max-Breadth Exceeded", STANDARD, "RFC 5393", "Max-Breadth überschritten", \
      "Forking stopped because the Max-Breadth limit left no room for another parallel branch of the request.", \
      "Die Verzweigung wurde gestoppt, weil das Max-Breadth-Limit keinen weiteren parallelen Zweig der Anfrage zuließ.") \
    X(469, BAD_INFO_PACKAGE, "Bad Info Package", STANDARD, "RFC 6086", "Ungültiges Info-Paket", \
      "An INFO request used an Info Package the receiver had not agreed to accept; the dialog itself stays up.", \
      "Ein INFO nutzte ein Info-Paket, dessen Empfang die Gegenstelle nicht zugesagt hatte; der Dialog selbst bleibt bestehen.") \
    X(470, CONSENT_NEEDED, "Consent Needed", STANDARD, "RFC 5360", "Zustimmung erforderlich", \
      "A relay lacks permission to send to at least one of the target URIs; the Permission-Missing header lists them.", \
      "Einem Relay fehlt für mindestens eine Ziel-URI die Erlaubnis zur Weiterleitung; der Permission-Missing-Header nennt sie.") \
    X(480, TEMPORARILY_UNAVAILABLE, "Temporarily Unavailable", STANDARD, "RFC 3261", "Vorübergehend nicht erreichbar", \
      "The callee's end point was reached, but the user is not available right now, for example logged off; try again later.", \
      "Das Endgerät wurde erreicht, der Angerufene ist aber gerade nicht verfügbar, etwa abgemeldet; später erneut versuchen.") \
    X(481, CALL_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist", STANDARD, "RFC 3261", "Dialog/Transaktion existiert nicht", \
      "The request matches no existing dialog or transaction, such as a BYE or CANCEL for a call that has already ended.", \
      "Die Anfrage passt zu keinem bestehenden Dialog und keiner Transaktion, etwa ein BYE oder CANCEL für ein beendetes Gespräch.") \
    X(482, LOOP_DETECTED, "Loop Detected", STANDARD, "RFC 3261", "Schleife erkannt", \
      "A proxy received this request again along the same path; the routing configuration needs fixing.", \
      "Ein Proxy hat die Anfrage auf demselben Weg erneut erhalten; die Routing-Konfiguration muss korrigiert werden.") \
    X(483, TOO_MANY_HOPS, "Too Many Hops", STANDARD, "RFC 3261", "Zu viele Hops", \
      "The Max-Forwards count of the request reached zero before the request reached its destination.", \
      "Der Max-Forwards-Zähler der Anfrage erreichte null, bevor die Anfrage ihr Ziel erreichte.") \
    X(484, ADDRESS_INCOMPLETE, "Address Incomplete", STANDARD, "RFC 3261", "Adresse unvollständig", \
      "The dialled number or address is incomplete; the caller may add more digits and try again.", \
      "Die gewählte Nummer oder Adresse ist unvollständig; der Anrufer kann weitere Ziffern ergänzen und erneut wählen.") \
    X(485, AMBIGUOUS, "Ambiguous", STANDARD, "RFC 3261", "Mehrdeutig", \
      "The address matches more than one user; the response may list unambiguous candidates in its Contact header.", \
      "Die Adresse passt auf mehrere Teilnehmer; die Antwort kann eindeutige Kandidaten im Contact-Header nennen.") \
    X(486, BUSY_HERE, "Busy Here", STANDARD, "RFC 3261", "Besetzt", \
      "The callee was reached but cannot take another call at this end point right now.", \
      "Der Angerufene ist erreichbar, kann an diesem Endpunkt aber gerade keinen weiteren Anruf annehmen.") \
    X(487, REQUEST_TERMINATED, "Request Terminated", STANDARD, "RFC 3261", "Anfrage abgebrochen", \
      "The request was ended by a CANCEL or BYE before it completed, typically because the caller hung up while it rang.", \
      "Die Anfrage wurde vor ihrem Abschluss durch CANCEL oder BYE beendet, meist weil der Anrufer während des Klingelns auflegte.") \
    X(488, NOT_ACCEPTABLE_HERE, "Not Acceptable Here", STANDARD, "RFC 3261", "Hier nicht akzeptabel", \
      "This end point cannot accept the offered session, usually because no codec or media type matches; Warning may say why.", \
      "Dieser Endpunkt kann die angebotene Sitzung nicht annehmen, meist passt kein Codec oder Medientyp; Warning kann den Grund nennen.") \
    X(489, BAD_EVENT, "Bad Event", STANDARD, "RFC 6665, RFC 3265", "Unbekanntes Ereignis", \
      "The server does not understand the event package named in the Event header of a SUBSCRIBE or NOTIFY.", \
      "Der Server kennt das Ereignispaket aus dem Event-Header eines SUBSCRIBE oder NOTIFY nicht.") \
    X(490, REQUEST_UPDATED, "Request Updated", NONSTANDARD, "", "Anfrage aktualisiert", \
      "Listed by pjsip and sofia-sip but defined by no RFC; a peer that receives it handles it like 400 Bad Request.", \
      "Von pjsip und sofia-sip geführt, aber in keinem RFC definiert; eine Gegenstelle behandelt ihn wie 400 Bad Request.") \
    X(491, REQUEST_PENDING, "Request Pending", STANDARD, "RFC 3261", "Anfrage ausstehend", \
      "Another request in the same dialog is still in progress (glare); wait a short random time and send it again.", \
      "Im selben Dialog läuft noch eine andere Anfrage (Kollision); nach einer kurzen zufälligen Wartezeit erneut senden.") \
    X(493, UNDECIPHERABLE, "Undecipherable", STANDARD, "RFC 3261", "Nicht entschlüsselbar", \
      "The request carried an encrypted S/MIME body the receiver has no key for; the response may offer a usable public key.", \
      "Die Anfrage enthielt einen verschlüsselten S/MIME-Rumpf ohne passenden Schlüssel; die Antwort kann einen öffentlichen Schlüssel liefern.") \
    X(494, SECURITY_AGREEMENT_REQUIRED, "Security Agreement Required", STANDARD, "RFC 3329", "Sicherheitsvereinbarung erforderlich", \
      "The server insists on negotiating a security mechanism first; the Security-Server header lists the ones it offers.", \
      "Der Server verlangt zuerst die Aushandlung eines Sicherheitsverfahrens; der Security-Server-Header nennt die angebotenen.") \
    X(500, SERVER_INTERNAL_ERROR, "Server Internal Error", STANDARD, "RFC 3261", "Interner Serverfehler", \
      "The server hit an unexpected condition while handling the request; a Retry-After header may say when to try again.", \
      "Der Server stieß beim Bearbeiten der Anfrage auf einen unerwarteten Fehler; Retry-After kann einen neuen Zeitpunkt nennen.") \
    X(501, NOT_IMPLEMENTED, "Not Implemented", STANDARD, "RFC 3261", "Nicht implementiert", \
      "The server has no implementation of the request method for any address (405 would mean: known, but not allowed here).", \
      "Der Server unterstützt die Methode der Anfrage überhaupt nicht, für keine Adresse.") \
    X(502, BAD_GATEWAY, "Bad Gateway", STANDARD, "RFC 3261", "Fehlerhaftes Gateway", \
      "A gateway or proxy got an invalid response from the next server it contacted for this request.", \
      "Ein Gateway oder Proxy erhielt vom nächsten angefragten Server eine ungültige Antwort auf diese Anfrage.") \
    X(503, SERVICE_UNAVAILABLE, "Service Unavailable", STANDARD, "RFC 3261", "Dienst nicht verfügbar", \
      "The server is overloaded or under maintenance; honour Retry-After, and without that header handle it like 500.", \
      "Der Server ist überlastet oder in Wartung; Retry-After beachten und ohne diesen Header wie 500 behandeln.") \
    X(504, SERVER_TIME_OUT, "Server Time-out", STANDARD, "RFC 3261", "Server-Timeout", \
      "A server further along, such as a location server or another proxy, did not answer in time.", \
      "Ein weiterer Server auf dem Weg, etwa ein Location-Server oder ein anderer Proxy, antwortete nicht rechtzeitig.") \
    X(505, VERSION_NOT_SUPPORTED, "Version Not Supported", STANDARD, "RFC 3261", "Version nicht unterstützt", \
      "The request speaks a SIP version (other than SIP/2.0) that this server cannot or will not handle.", \
      "Die Anfrage nutzt eine SIP-Version (nicht SIP/2.0), mit der dieser Server nicht umgehen kann oder will.") \
    X(513, MESSAGE_TOO_LARGE, "Message Too Large", STANDARD, "RFC 3261", "Nachricht zu groß", \
      "The message as a whole is longer than this server will process, whatever transport carried it.", \
      "Die gesamte Nachricht überschreitet die Größe, die dieser Server annimmt, unabhängig vom Transportprotokoll.") \
    X(555, PUSH_NOTIFICATION_SERVICE_NOT_SUPPORTED, "Push Notification Service Not Supported", STANDARD, "RFC 8599", "Push-Dienst nicht unterstützt", \
      "The proxy does not support the push notification service named in the pn-provider parameter of the REGISTER.", \
      "Der Proxy unterstützt den im pn-provider-Parameter des REGISTER genannten Push-Benachrichtigungsdienst nicht.") \
    X(580, PRECONDITION_FAILURE, "Precondition Failure", STANDARD, "RFC 3312", "Vorbedingung nicht erfüllt", \
      "A precondition the session depends on, such as reserving network resources for QoS, could not be met.", \
      "Eine Vorbedingung der Sitzung, etwa die Reservierung von Netzressourcen für QoS, ließ sich nicht erfüllen.") \
    X(600, BUSY_EVERYWHERE, "Busy Everywhere", STANDARD, "RFC 3261", "Überall besetzt", \
      "The callee is busy and no other end point, voicemail included, will take the call; Retry-After may suggest a time.", \
      "Der Angerufene ist besetzt und kein anderer Endpunkt, etwa eine Mailbox, nimmt an; Retry-After kann eine Zeit vorschlagen.") \
    X(603, DECLINE, "Decline", STANDARD, "RFC 3261", "Abgelehnt", \
      "The callee explicitly declined the call, and no other end point will answer it.", \
      "Der Angerufene hat den Anruf ausdrücklich abgelehnt, und kein anderer Endpunkt wird ihn annehmen.") \
    X(604, DOES_NOT_EXIST_ANYWHERE, "Does Not Exist Anywhere", STANDARD, "RFC 3261", "Existiert nirgends", \
      "The server knows for certain that the called user exists nowhere, so trying other places is pointless.", \
      "Der Server weiß sicher, dass der angerufene Teilnehmer nirgends existiert; Versuche an anderer Stelle sind zwecklos.") \
    X(606, NOT_ACCEPTABLE_ANYWHERE, "Not Acceptable", STANDARD, "RFC 3261", "Nicht akzeptabel", \
      "The callee's agent was reached, but aspects of the proposed session such as media, bandwidth or addressing are not acceptable.", \
      "Das Endgerät wurde erreicht, aber Teile der vorgeschlagenen Sitzung wie Medien, Bandbreite oder Adressierung sind nicht akzeptabel.") \
    X(607, UNWANTED, "Unwanted", STANDARD, "RFC 8197", "Unerwünscht", \
      "The called party marks the call as unwanted, such as spam; networks may use this to flag or block the caller.", \
      "Der Angerufene kennzeichnet den Anruf als unerwünscht, etwa als Spam; Netze können den Anrufer daraufhin markieren oder sperren.") \
    X(608, REJECTED, "Rejected", STANDARD, "RFC 8688", "Zurückgewiesen", \
      "An intermediary such as a call-analytics service rejected the call; Call-Info may point to a way to contest this.", \
      "Eine Zwischenstelle, etwa ein Anrufanalysedienst, hat den Anruf zurückgewiesen; Call-Info kann einen Weg zum Einspruch nennen.") \
    X(687, DIALOG_TERMINATED, "Dialog Terminated", NONSTANDARD, "", "Dialog beendet", \
      "Defined by sofia-sip (sip_status.h) with this phrase, but neither sofia-sip nor FreeSWITCH's mod_sofia sends it; seen only in its tables.", \
      "In sofia-sip (sip_status.h) mit diesem Text definiert, aber weder sofia-sip noch mod_sofia von FreeSWITCH senden ihn; nur in Tabellen.") \
    X(701, NO_RESPONSE_FROM_DESTINATION_SERVER, "No response from destination server", NONSTANDARD, "", "Keine Antwort vom Zielserver", \
      "Kept as text by pjsip's status table; pjsip itself now reports a transaction timeout as 408. Never valid on the wire.", \
      "Nur noch als Text in der Statustabelle von pjsip; pjsip meldet eine Zeitüberschreitung heute als 408. Auf der Leitung nie gültig.") \
    X(702, UNABLE_TO_RESOLVE_DESTINATION_SERVER, "Unable to resolve destination server", NONSTANDARD, "", "Zielserver nicht auflösbar", \
      "Kept as text by pjsip's status table for a host name it could not resolve; its constant for 702 is commented out. Never valid on the wire.", \
      "Als Text in der Statustabelle von pjsip für einen nicht auflösbaren Hostnamen; die Konstante dafür ist auskommentiert. Auf der Leitung nie gültig.") \
    X(703, ERROR_SENDING_MESSAGE_TO_DESTINATION_SERVER, "Error sending message to destination server", NONSTANDARD, "", "Fehler beim Senden an den Zielserver", \
      "Kept as text by pjsip's status table for a failed send; pjsip now reports transport errors as 503. Never valid on the wire.", \
      "Als Text in der Statustabelle von pjsip für einen Sendefehler; pjsip meldet Transportfehler heute als 503. Auf der Leitung nie gültig.")

/*
 * A(code, "phrase", "source"): phrases that real stacks send (or tables
 * list) for a code instead of the registry's, so that sipcodes_find()
 * recognises them.  Never returned as a code's reason.  "source" says who
 * sends the phrase or where it appears; docs/registry.md lists the same
 * table, and spec/fixtures/registry-aliases.tsv pins it.
 * Rows in ascending code order.  Where two codes share an alias (403 and
 * 439 "Stale Date") lookup gives the earlier row, the standard meaning.
 * lookup ignores case, spaces and punctuation, so such variants need no row
 * to be found; 436's is listed anyway, for info().aliases to show it.
 */
#define SIPCODES_ALIASES(A) \
    A(403, "Stale Date", "defined by sofia-sip (sip_403_Stale_date) for the RFC 8224 section 6.2.2 rejection of a stale Date; FreeSWITCH sends 403 Forbidden") \
    A(412, "Precondition Failed", "sofia-sip's phrase for 412 (the HTTP name), which FreeSWITCH sends") \
    A(414, "Request-URI Too Large", "RFC 3261 section 25 ABNF comment; sent by few stacks") \
    A(436, "Bad Identity-Info", "RFC 4474's name, still pjsip's phrase") \
    A(437, "Unsupported Certificate", "RFC 4474's name, still pjsip's phrase") \
    A(439, "Stale Date", "sofia-sip's phrase for 439 (sip_status_phrase), which FreeSWITCH sends") \
    A(480, "Temporarily not available", "RFC 3261 section 25 ABNF comment (RFC 2543's phrase); sent by few stacks") \
    A(481, "Call Leg/Transaction Does Not Exist", "RFC 3261 section 25 ABNF comment (RFC 2543's phrase); SEMS sent it until 2026") \
    A(500, "Internal Server Error", "sofia-sip's phrase, which FreeSWITCH sends; also the RFC 3261 section 25 ABNF comment") \
    A(504, "Gateway Time-out", "sofia-sip's phrase for 504, which FreeSWITCH sends") \
    A(505, "SIP Version not supported", "RFC 3261 section 25 ABNF comment (RFC 2543's phrase); sent by few stacks") \
    A(603, "Network Blocked", "ATIS-1000099 603+ network blocking; FreeSWITCH detects it and passes it on with sip_603plus_passthrough") \
    A(701, "Party Hangs Up", "seen only in status tables (a Go table derived from the German Wikipedia list)")

#endif

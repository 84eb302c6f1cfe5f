"""Default texts of the legal pages, written into the database by a migration.

The club office edits them afterwards under /geschaeftsstelle/. The privacy
policy lists each processing the platform really performs; keep it true when
a feature adds one.
"""

IMPRESSUM = """\
## Angaben gemäß § 5 DDG

**Innovators Club – Geschäftsstelle**
Bitte tragen Sie hier Anschrift, vertretungsberechtigte Person und Registereintrag des Betreibers ein.

## Kontakt

E-Mail: Bitte tragen Sie hier die Adresse der Geschäftsstelle ein.

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

Bitte tragen Sie hier Name und Anschrift der verantwortlichen Person ein.
"""

KONTAKT = """\
Sie erreichen die Geschäftsstelle des Innovators Club per E-Mail und Telefon.
Bitte tragen Sie hier Anschrift, E-Mail-Adresse, Telefonnummer und Sprechzeiten ein.

Sie möchten Mitglied werden? Neue Mitglieder kommen auf Vorschlag eines Mitglieds in den Club.
Schreiben Sie uns gern, wenn Sie den Club kennenlernen möchten.
"""

DATENSCHUTZ = """\
## Verantwortliche Stelle

Verantwortlich für die Verarbeitung personenbezogener Daten auf dieser Plattform ist der Betreiber,
der im [Impressum](/impressum/) genannt ist. Bitte tragen Sie hier die Kontaktdaten der oder des
Datenschutzbeauftragten ein.

## Allgemeines

Die Plattform läuft auf Servern des Betreibers. Empfänger Ihrer Daten sind – wenn unten nicht anders
genannt – nur die Geschäftsstelle des Clubs und, als Auftragsverarbeiter, ein vom Betreiber
beauftragter Rechenzentrumsbetrieb. Wir geben keine Daten an Dritte für Werbung weiter und übermitteln
keine Daten in Länder außerhalb der EU. Zu jedem Zweck nennen wir unten die Rechtsgrundlage, wie lange
wir die Daten speichern und wer sie erhält.

## Welche Daten wir verarbeiten und wozu

**Aufruf der Seiten (Server-Protokolle).** Beim Aufruf einer Seite verarbeitet der Server technisch
notwendige Angaben (aufgerufene Adresse, Zeitpunkt, Antwortstatus, Dauer und eine zufällige Kennung der
Anfrage), um die Seite auszuliefern und Fehler zu finden. Geheime Bestandteile von Adressen (etwa
Einladungs- oder Kalender-Links) werden unkenntlich gemacht. Ihre IP-Adresse wird dabei nicht in die
Protokolle geschrieben. Rechtsgrundlage: Art. 6 Abs. 1 lit. f DSGVO. Speicherdauer: so lange, wie der
Betreiber die Protokolle aufbewahrt (bitte hier eintragen, üblich sind 14 Tage). Empfänger: der
Betreiber.

**Benutzerkonto und Anmeldung.** Für Mitglieder, Gäste und die Geschäftsstelle speichern wir Name,
E-Mail-Adresse, Rolle, Kommune, bevorzugte Sprache und das Passwort als nicht umkehrbaren Hash
(Argon2). Fordern Sie einen neuen Zugang an („Passwort vergessen“), senden wir einen Link an Ihre
E-Mail-Adresse. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO (Mitgliedschaft). Speicherdauer: bis Sie
Ihr Konto löschen oder die Geschäftsstelle es auf Ihren Wunsch löscht. Empfänger: die Geschäftsstelle.

**Zwei-Faktor-Anmeldung.** Wenn Sie eine Authenticator-App einrichten, speichern wir deren geheimen
Schlüssel, um Ihre Codes prüfen zu können. Für die Geschäftsstelle ist sie Pflicht. Rechtsgrundlage:
Art. 6 Abs. 1 lit. b und f DSGVO; für die Geschäftsstelle Art. 32 DSGVO. Speicherdauer: bis Sie die
App ausschalten, ersetzen oder Ihr Konto löschen. Empfänger: niemand.

**Schutz vor Angriffen und Sperren.** Fehlgeschlagene Anmeldeversuche werden mit E-Mail-Adresse,
IP-Adresse, Browserkennung und Zeitpunkt gespeichert, um das Erraten von Passwörtern zu verhindern;
nach zu vielen Fehlversuchen wird die Anmeldung für eine Weile gesperrt. Rechtsgrundlage: Art. 6
Abs. 1 lit. f DSGVO und Art. 32 DSGVO. Speicherdauer: Nach der Sperrfrist zählen die Versuche nicht
mehr; gelöscht werden sie mit Ihrem Konto oder wenn die Geschäftsstelle sie entfernt. Empfänger: die
Geschäftsstelle.

**Prüfprotokoll (Sicherheits- und Änderungsprotokoll).** Handlungen der Geschäftsstelle und
sicherheitsrelevante Ereignisse (Anmeldungen, Sperren, Änderungen von Rollen und Phasen, geänderte
Anmeldungen, Exporte, Löschungen) werden mit Zeitpunkt, handelnder Person, betroffenem Objekt und
IP-Adresse protokolliert. Niemand kann Einträge über die Anwendung ändern. Rechtsgrundlage: Art. 6
Abs. 1 lit. c und f DSGVO in Verbindung mit Art. 5 Abs. 2 und Art. 32 DSGVO. Speicherdauer: ein Jahr
(365 Tage), danach werden die Einträge täglich automatisch gelöscht; auch nach dem Löschen eines
Kontos, denn sie dienen der Rechenschaft (Art. 17 Abs. 3 lit. e DSGVO).
Empfänger: die Geschäftsstelle.

**Profil und Mitgliederverzeichnis.** Was Sie in Ihr Profil schreiben (Titel, Funktion, Position,
Organisation, Themen, Kurzbiografie, „Ich kann helfen bei“, „Ich suche“, Telefon, Foto), sehen
Mitglieder und die Geschäftsstelle. Name, Funktion, Kommune oder Organisation und Themen sind für
Mitglieder sichtbar; jedes weitere Feld geben Sie selbst frei. Im Verzeichnis erscheinen Sie nur, wenn
Sie zustimmen; auf öffentlichen Seiten werden Sie nur genannt, wenn Sie das erlauben. Fotos werden
ohne Metadaten gespeichert und nie öffentlich ausgeliefert. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO,
für freigegebene Felder und öffentliche Nennung Art. 6 Abs. 1 lit. a DSGVO (jederzeit widerrufbar in
Ihrem Profil). Speicherdauer: bis Sie es ändern oder Ihr Konto löschen. Empfänger: Mitglieder und die
Geschäftsstelle.

**Aufnahme neuer Mitglieder.** Schlägt ein Mitglied jemanden vor, speichern wir Name, Funktion,
Kommune oder Organisation, E-Mail-Adresse und die Begründung, und die Geschäftsstelle entscheidet.
Eine Einladung kommt per E-Mail mit einem Link, der nur einmal und nur für eine begrenzte Zeit gilt;
gespeichert wird nur ein Prüfwert des Links. Rechtsgrundlage: Art. 6 Abs. 1 lit. f DSGVO (Gewinnung
neuer Mitglieder). Speicherdauer: abgelaufene, zurückgezogene und benutzte Einladungslinks werden nach
30 Tagen gelöscht (der jeweils letzte bleibt als Verlauf des Vorschlags); die Angaben zum Vorschlag,
bis die Geschäftsstelle ihn löscht oder die vorgeschlagene Person ihr Konto löscht. Empfänger: die
Geschäftsstelle; das vorschlagende Mitglied sieht den Stand seiner Vorschläge.

**Anmeldung zu Veranstaltungen.** Für die Teilnahme an Foren speichern wir Ihre Anmeldung, die Art der
Teilnahme (vor Ort oder online), Ihren Platz auf der Warteliste, Ihre persönliche Agenda und ob Sie in
der Teilnehmendenliste erscheinen möchten. Wir senden Ihnen Bestätigungen, Erinnerungen und
Programmänderungen per E-Mail. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO. Speicherdauer: bis Sie Ihr
Konto löschen; danach bleibt nur eine Teilnahme ohne Namen in den Zahlen. Empfänger: die
Geschäftsstelle; andere Teilnehmende sehen Sie nur, wenn Sie der Liste zugestimmt haben.

**Besondere Angaben bei der Anmeldung.** Angaben zu Ernährung und Barrierefreiheit können
Gesundheitsdaten sein. Wir verwenden sie nur für die eine Veranstaltung; die Geschäftsstelle gibt sie,
soweit nötig, ohne weitere Angaben an Verpflegung und Veranstaltungsort weiter. Rechtsgrundlage:
Art. 6 Abs. 1 lit. b und Art. 9 Abs. 2 lit. a DSGVO (Ihre ausdrückliche Einwilligung durch die Angabe).
Speicherdauer: Sie werden automatisch 30 Tage nach dem Ende der Veranstaltung gelöscht (die Frist legt
der Betreiber fest; Voreinstellung 30 Tage). Empfänger: die Geschäftsstelle, Verpflegung und
Veranstaltungsort.

**Check-in und Namensschilder.** Ihre Anmeldung hat einen QR-Code, mit dem die Geschäftsstelle Sie vor
Ort einlässt; wir speichern den Zeitpunkt des Check-ins und drucken Namensschilder mit Name, Funktion
und Kommune. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO. Speicherdauer: wie die Anmeldung. Empfänger:
die Geschäftsstelle.

**Workshop-Zuteilung.** Ihre Wünsche für Workshops (Reihenfolge) und der zugeteilte Platz werden
gespeichert, um die Plätze fair zu verteilen. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO. Speicherdauer:
wie die Anmeldung; Wünsche für noch nicht stattgefundene Foren werden mit Ihrem Konto gelöscht.
Empfänger: die Geschäftsstelle; Ihren Platz sehen Sie selbst.

**Rückmeldung nach Veranstaltungen.** Wir speichern nur, dass Sie geantwortet haben; Ihre Antworten
werden getrennt und ohne Bezug zu Ihnen gespeichert. Rechtsgrundlage: Art. 6 Abs. 1 lit. f DSGVO.
Speicherdauer: die Antworten ohne Personenbezug, solange die Veranstaltung im Archiv steht; der Vermerk,
dass Sie geantwortet haben, verliert mit dem Löschen Ihres Kontos jeden Bezug zu Ihnen. Empfänger: die
Geschäftsstelle (nur Durchschnitte ab drei Antworten).

**Ideenschmiede.** Ideen, Kommentare, Unterstützung, das Interesse Ihrer Kommune, Bewertungen und das
Folgen von Ideen werden mit Ihrem Namen gespeichert und – je nach Sichtbarkeit der Idee – Mitgliedern,
einer Gruppe oder der Öffentlichkeit gezeigt. Öffentlich erscheint Ihr Name nur, wenn Sie das in Ihrem
Profil erlauben. Bewertungen sieht nur die Geschäftsstelle. Rechtsgrundlage: Art. 6 Abs. 1 lit. b und f
DSGVO. Speicherdauer: Ihre Beiträge bleiben, weil andere darauf aufbauen; löschen Sie Ihr Konto, werden
sie als „ehemaliges Mitglied“ ohne Namen gezeigt. Empfänger: wer die Idee sehen darf.

**Pilotprojekte und Nachnutzung.** Als Ansprechperson eines Pilotprojekts oder einer Nachnutzung werden
Sie Mitgliedern mit Namen genannt, öffentlich nur mit Ihrer Erlaubnis. Wer eine Nachnutzung für seine
Kommune meldet, wird dabei gespeichert. Rechtsgrundlage: Art. 6 Abs. 1 lit. b und f DSGVO. Speicherdauer:
bis Sie Ihr Konto löschen; Meldungen bleiben dann ohne Namen. Empfänger: Mitglieder, bei öffentlichen
Projekten die Öffentlichkeit.

**E-Mails und Benachrichtigungen.** Wir senden E-Mails für Anmeldung, Passwort, Einladungen,
Veranstaltungen und – in der von Ihnen gewählten Häufigkeit – Neuigkeiten zu Ideen, denen Sie folgen.
Benachrichtigungen werden auch in der Plattform angezeigt. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO.
Speicherdauer: bis Sie Ihr Konto löschen. Empfänger: der Mailserver des Betreibers.

**Kalender-Abonnement.** Für Ihren persönlichen Kalender erzeugen wir eine geheime Adresse, die Sie
jederzeit ersetzen können. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO. Speicherdauer: bis Sie sie
ersetzen oder Ihr Konto löschen. Empfänger: wem Sie die Adresse geben.

**API-Schlüssel.** Für Ihre eigenen Programme können Sie Schlüssel anlegen; wir speichern nur einen
Prüfwert, Name, Gültigkeit und die letzte Nutzung. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO.
Speicherdauer: bis Sie den Schlüssel widerrufen, er abläuft oder Sie Ihr Konto löschen. Empfänger:
niemand.

**Suche.** Die Suche findet nur, was Sie auch ohne Suche sehen dürfen; dazu hält sie eine Kopie von
Titeln und Texten, bei Personen nur die für Mitglieder freigegebenen Felder. Ihre Suchanfragen werden
nicht gespeichert. Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO. Speicherdauer: solange der Inhalt
besteht. Empfänger: wer den Inhalt sehen darf.

**Rückmeldung zur Barrierefreiheit.** Was Sie über das Formular senden (Nachricht und freiwillig Name,
E-Mail-Adresse, betroffene Seite), speichern wir und leiten es per E-Mail an die Geschäftsstelle weiter,
um die Barriere zu beheben und Ihnen zu antworten. Rechtsgrundlage: Art. 6 Abs. 1 lit. c DSGVO in
Verbindung mit § 12b BGG. Speicherdauer: bis die Geschäftsstelle die Rückmeldung löscht (bitte hier die
Frist eintragen). Empfänger: die Geschäftsstelle.

**Auskunft und Datenexport.** Unter „Mein Konto“ können Sie eine Kopie aller Daten über Sie als ZIP-Datei
(JSON und CSV) anfordern. Sie wird im Hintergrund erstellt, kann nur in Ihrer Sitzung einmal
heruntergeladen werden. Rechtsgrundlage: Art. 6 Abs. 1 lit. c DSGVO in Verbindung mit Art. 15 und 20
DSGVO. Speicherdauer: Die Datei wird nach dem Herunterladen gelöscht, spätestens nach 7 Tagen
(Voreinstellung). Empfänger: nur Sie.

**Löschung Ihres Kontos.** Unter „Mein Konto“ können Sie Ihr Konto nach Eingabe Ihres Passworts selbst
löschen, oder die Geschäftsstelle löscht es auf Ihren Wunsch. Name, E-Mail-Adresse, Profil, Foto,
Anmeldedaten, API-Schlüssel, Benachrichtigungen und besondere Angaben werden sofort gelöscht, Anmeldungen
zu künftigen Foren storniert, Sie werden überall abgemeldet und erhalten eine Bestätigung per E-Mail.
Ihre Beiträge bleiben als „ehemaliges Mitglied“; für die Mitgliederstatistik bleiben nur die Daten Ihres
Eintritts und Austritts, ohne Ihren Namen. Rechtsgrundlage: Art. 6 Abs. 1 lit. c DSGVO in
Verbindung mit Art. 17 DSGVO. Speicherdauer: Die Löschung wird ohne Name und Adresse im Prüfprotokoll
vermerkt. Empfänger: die Bestätigung geht nur an Ihre bisherige E-Mail-Adresse.

## Cookies

Wir setzen nur technisch notwendige Cookies und brauchen deshalb keine Einwilligung:

- `innoclub_session` – hält Sie angemeldet; nur nach der Anmeldung.
- `innoclub_csrf` – schützt Formulare vor Missbrauch; nur auf Seiten mit einem Formular.
- `innoclub_language` – merkt sich die Sprache, wenn Sie sie selbst umstellen.

Es werden keine Inhalte von anderen Servern geladen (keine Schriften oder Skripte Dritter) und keine
Analyse- oder Werbedienste eingesetzt. Nur wenn der Betreiber für die Karten Hintergrundbilder eines
Kartendienstes einbindet, lädt Ihr Browser auf den Kartenseiten Bilder von dessen Server; der Dienst ist
dann hier zu nennen.

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung,
Datenübertragbarkeit und Widerspruch sowie das Recht, eine Einwilligung jederzeit zu widerrufen und sich
bei einer Aufsichtsbehörde zu beschweren. Auskunft und Löschung können Sie unter „Mein Konto“ selbst
erledigen; für alles andere wenden Sie sich an die Geschäftsstelle.
"""

BARRIEREFREIHEIT = """\
Der Innovators Club ist bemüht, diese Plattform im Einklang mit der Barrierefreie-Informationstechnik-Verordnung
(BITV 2.0) barrierefrei zugänglich zu machen. Diese Erklärung gilt für alle Seiten unter dieser Adresse.

## Stand der Vereinbarkeit

Die Plattform ist weitgehend mit den Anforderungen der BITV 2.0 und der WCAG 2.1 auf Stufe AA vereinbar.
Jede Seite wird bei jeder Änderung automatisch mit axe-core und dem Nu HTML Checker geprüft.

## Nicht barrierefreie Inhalte

- Der Verwaltungsbereich unter `/admin/` für die Geschäftsstelle wurde noch nicht vollständig geprüft.

## Erstellung dieser Erklärung

Diese Erklärung beruht auf einer Selbstbewertung und automatisierten Prüfungen.

## Barrieren melden

Sind Ihnen Mängel aufgefallen? Nutzen Sie das Formular auf dieser Seite. Die Geschäftsstelle antwortet
innerhalb von zwei Wochen.

## Schlichtungsverfahren

Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie die
Schlichtungsstelle nach § 16 BGG anrufen: Schlichtungsstelle nach dem Behindertengleichstellungsgesetz
bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen,
Mauerstraße 53, 10117 Berlin, www.schlichtungsstelle-bgg.de.
"""

DEFAULTS = {
    "impressum": ("Impressum", IMPRESSUM),
    "datenschutz": ("Datenschutzerklärung", DATENSCHUTZ),
    "barrierefreiheit": ("Erklärung zur Barrierefreiheit", BARRIEREFREIHEIT),
    "kontakt": ("Kontakt", KONTAKT),
}

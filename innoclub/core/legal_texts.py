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
der im [Impressum](/impressum/) genannt ist.

## Welche Daten wir verarbeiten und wozu

**Aufruf der Seiten.** Beim Aufruf einer Seite verarbeitet der Server technisch notwendige Angaben
(aufgerufene Adresse, Zeitpunkt, Antwortstatus, Dauer und eine zufällige Kennung der Anfrage), um die
Seite auszuliefern und Fehler zu finden. Ihre IP-Adresse wird dabei nicht in die Protokolle geschrieben.
Rechtsgrundlage ist Art. 6 Abs. 1 lit. f DSGVO.

**Benutzerkonto.** Für Mitglieder, Gäste und die Geschäftsstelle speichern wir Name, E-Mail-Adresse,
Rolle, Kommune, bevorzugte Sprache und das Passwort als nicht umkehrbaren Hash (Argon2). Rechtsgrundlage
ist Art. 6 Abs. 1 lit. b DSGVO (Mitgliedschaft).

**Schutz vor Angriffen.** Fehlgeschlagene Anmeldeversuche werden mit E-Mail-Adresse, IP-Adresse,
Browserkennung und Zeitpunkt gespeichert, um das Erraten von Passwörtern zu verhindern; sie werden nach
der Sperrfrist nicht mehr berücksichtigt. Rechtsgrundlage ist Art. 6 Abs. 1 lit. f DSGVO.

**Zwei-Faktor-Anmeldung.** Wenn Sie eine Authenticator-App einrichten, speichern wir deren geheimen
Schlüssel, um Ihre Codes prüfen zu können.

**Passwort vergessen.** Fordern Sie einen neuen Zugang an, senden wir einen Link an Ihre E-Mail-Adresse.

**Rückmeldung zur Barrierefreiheit.** Was Sie über das Formular senden (Nachricht und freiwillig Name,
E-Mail-Adresse, betroffene Seite), speichern wir und leiten es per E-Mail an die Geschäftsstelle weiter,
um die Barriere zu beheben und Ihnen zu antworten. Rechtsgrundlage ist Art. 6 Abs. 1 lit. c DSGVO in
Verbindung mit § 12b BGG.

## Cookies

Wir setzen nur technisch notwendige Cookies und brauchen deshalb keine Einwilligung:

- `innoclub_session` – hält Sie angemeldet; nur nach der Anmeldung.
- `innoclub_csrf` – schützt Formulare vor Missbrauch; nur auf Seiten mit einem Formular.
- `innoclub_language` – merkt sich die Sprache, wenn Sie sie selbst umstellen.

Es werden keine Inhalte von anderen Servern geladen, keine Analyse- oder Werbedienste eingesetzt.

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung,
Datenübertragbarkeit und Widerspruch sowie das Recht, sich bei einer Aufsichtsbehörde zu beschweren.
Wenden Sie sich dazu an die Geschäftsstelle.
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

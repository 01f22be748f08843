"""Templates of the sample documents, per document type and language.

Placeholders are filled by generate.py (see textbuild.fill): `{d_name}` is the
debtor's name, `{co_iban}` the collector's IBAN, and so on. Prefixes:
  d_  the debtor / the person writing      a_  an agent of the collector
  s_  the supplier (a company)            sp_ a sole trader or second person
  c_  a customer or contact person        cc_ a customer company
  co_ the collector (Invoice Managers)    k_  the creditor (the collector's client)
  l_  a lawyer or bailiff                 m_  a debt mediator
Person fields: _name _caps (Jean DUPONT) _NAME _rev (DUPONT Jean) _first _last
_title (M./Dhr./Herrn/Mr) _title_long (Monsieur/Mevrouw/Herr/Mrs) _greet
(formal salutation with the name) _hi (informal) _addr (one line) _addr2 (two
lines) _ADDR2 (capitals) _mobile _fixed _phone _email _iban _iban_c (run
together) _bic _nn _eid _dob _born (né le / geboren op) _town.
Company fields: _name _NAME _addr _addr2 _vat _vat_be _vat_dotted _phone
_email _web _iban _iban_c _bic _bank _town.
`[[KIND:text]]` marks a constant decoy (see textbuild).
"""

# --- small localised phrases --------------------------------------------------

TITLES = {  # sex -> (short, long)
    "fr": {"M": ("M.", "Monsieur"), "F": ("Mme", "Madame")},
    "nl": {"M": ("Dhr.", "De heer"), "F": ("Mevr.", "Mevrouw")},
    "de": {"M": ("Herrn", "Herr"), "F": ("Frau", "Frau")},
    "en": {"M": ("Mr", "Mr"), "F": ("Ms", "Mrs")},
}
GREETINGS = {
    "fr": {"M": "Cher Monsieur {last},", "F": "Chère Madame {last},"},
    "nl": {"M": "Geachte heer {last},", "F": "Geachte mevrouw {last},"},
    "de": {"M": "Sehr geehrter Herr {last},", "F": "Sehr geehrte Frau {last},"},
    "en": {"M": "Dear Mr {last},", "F": "Dear Ms {last},"},
}
INFORMAL = {"fr": "Bonjour {first},", "nl": "Beste {first},", "de": "Hallo {first},",
            "en": "Hi {first},"}
BORN = {
    "fr": {"M": "né le", "F": "née le"}, "nl": {"M": "geboren op", "F": "geboren op"},
    "de": {"M": "geboren am", "F": "geboren am"}, "en": {"M": "born on", "F": "born on"},
}
INVOICE_COLUMNS = {
    "fr": ("Description", "Qté", "P.U. HTVA", "Total HTVA"),
    "nl": ("Omschrijving", "Aantal", "Eenheidsprijs", "Totaal"),
    "de": ("Bezeichnung", "Menge", "Einzelpreis", "Gesamt"),
    "en": ("Description", "Qty", "Unit price", "Amount"),
}
CSV_HEADERS = {
    "fr": "N° client;Nom;Adresse;IBAN;Téléphone;E-mail;N° national;Montant dû;Échéance",
    "nl": "Klantnr;Naam;Adres;IBAN;Telefoon;E-mail;Rijksregisternr;Openstaand bedrag;Vervaldatum",
    "de": "Kundennr.;Name;Anschrift;IBAN;Telefon;E-Mail;Nationalregisternr.;Offener Betrag;Fällig am",
    "en": "customer_id;full_name;address;iban;phone;email;national_number;amount_due;due_date",
}
JSON_KEYS = {  # field -> key, per language
    "fr": dict(id="id_debiteur", name="nom", dob="date_naissance", nn="numero_national",
               eid="carte_identite", addr="adresse", phone="telephone", email="email",
               iban="iban", balance="solde", due="echeance", ref="communication"),
    "nl": dict(id="debiteur_id", name="naam", dob="geboortedatum", nn="rijksregisternummer",
               eid="identiteitskaart", addr="adres", phone="telefoon", email="email",
               iban="iban", balance="saldo", due="vervaldag", ref="dossier"),
    "de": dict(id="schuldner_id", name="name", dob="geburtsdatum", nn="nationalregisternummer",
               eid="personalausweis", addr="anschrift", phone="telefon", email="email",
               iban="iban", balance="saldo", due="faellig_am", ref="aktenzeichen"),
    "en": dict(id="debtor_id", name="name", dob="date_of_birth", nn="national_number",
               eid="id_card_number", addr="address", phone="phone", email="email",
               iban="iban", balance="balance", due="due_date", ref="file"),
}

# --- invoice from a company to a private customer --------------------------------

INVOICE_A = {
"fr": """{s_name}
Installations électriques – dépannage – mise en conformité
{s_addr2}
Tél. {s_phone} – {s_email} – {s_web}
TVA {s_vat_be}

Client :
{c_title} {c_caps}
{c_addr2}

FACTURE N° {inv_no}
Date de facture : {inv_date}          Échéance : {due_date}
N° client : {cust_no}                 Votre commande : {order_no}
Réf. interne : {ref_bad}

{lines}
                                          Total HTVA     {net}
                                          TVA 6 %        {vat_amt}
                                          Total TVAC     {total}

Taux réduit de 6 % : travaux dans un logement privé de plus de 10 ans
(attestation du client conservée par le prestataire).

PAIEMENT
Merci de virer {total} au plus tard le {due_date} sur le compte
{s_iban} (BIC {s_bic} – {s_bank})
en mentionnant la communication structurée {ogm}.

Tout montant impayé à l'échéance produira de plein droit un intérêt de
retard au taux légal (loi du 2 août 2002).

[[BIC_WORD:DOCUMENT]] À CONSERVER – garantie de deux ans sur les pièces fournies.
""",
"nl": """{s_NAME}
Ambachtelijke bakker – traiteur
{s_addr}
[[BIC_WORD:TELEFOON]] {s_phone} · {s_email}
Ondernemingsnummer BTW {s_vat_be}

FACTUUR

Factuurnummer:  {inv_no}
Factuurdatum:   {inv_date}
Vervaldag:      {due_date}
Klantnummer:    {cust_no}
Bestelbon:      {order_no}

Factuur aan:
{c_title} {c_name}
{c_addr2}

{lines}
                                       Totaal excl. btw   {net}
                                       Btw 6 %            {vat_amt}
                                       Te betalen         {total}

[[BIC_WORD:BETALING]] PER OVERSCHRIJVING
Gelieve {total} te storten vóór {due_date} op rekening
{s_iban} (BIC: {s_bic}) met de gestructureerde mededeling
{ogm}

Bedankt voor uw bestelling! Afhalen kan ook in de winkel, van dinsdag tot zondag.
Interne referentie: {ref_bad}
""",
"de": """{s_name}
Meisterbetrieb für Heizung und Sanitär
{s_addr2}
Tel.: {s_phone}
E-Mail: {s_email}
MwSt.-Nr.: {s_vat_be}

{c_title}
{c_name}
{c_addr2}

[[BIC_WORD:RECHNUNG]] Nr. {inv_no}
Rechnungsdatum:  {inv_date}
Leistungsdatum:  {service_date}
Kundennummer:    {cust_no}
Auftragsnummer:  {order_no}

{c_greet}

für die in Ihrem Auftrag ausgeführten Arbeiten erlauben wir uns, wie folgt
in Rechnung zu stellen:

{lines}
                                          Nettobetrag       {net}
                                          MwSt. 21 %        {vat_amt}
                                          Rechnungsbetrag   {total}

Bitte überweisen Sie den Rechnungsbetrag bis zum {due_date} auf unser Konto
IBAN {s_iban}
BIC  {s_bic} ({s_bank})
unter Angabe der strukturierten Mitteilung {ogm}.

Mit freundlichen Grüßen
{s_name}

Interne Referenz: {ref_bad}
""",
"en": """{s_NAME}
PRIVATE AND [[BIC_WORD:BUSINESS]] REMOVALS SINCE 1998
{s_addr}
VAT {s_vat_be} | Tel {s_phone} | {s_email}

INVOICE

Invoice no.:     {inv_no}
Invoice date:    {inv_date}
Due date:        {due_date}
Customer ref.:   {cust_no}
Quote / order:   {order_no}

Bill to:
{c_title} {c_name}
{c_addr2}

{lines}
                                          Subtotal         {net}
                                          VAT 21%          {vat_amt}
                                          Total due        {total}

Please pay {total} by {due_date} to:
  Account holder:            {s_name}
  IBAN:                      {s_iban}
  BIC/SWIFT:                 {s_bic}
  Structured communication:  {ogm}
Please quote the structured communication exactly; payments without it may be delayed.

Our internal reference: {ref_bad}
Thank you for moving with us. Questions about this invoice? Call {s_phone}.
""",
}

# --- invoice from a sole trader ----------------------------------------------------

INVOICE_B = {
"fr": """{sp_name}
Traductrice jurée FR – NL – EN
{sp_addr}
GSM {sp_mobile} · {sp_email}
N° d'entreprise : {sp_vat_dotted} – assujettie à la TVA

Facturé à :
{cc_name}
À l'attention de {c_title} {c_name}
{cc_addr2}
TVA {cc_vat}

Facture {inv_no} du {inv_date}
Votre bon de commande : {order_no}
Contrat-cadre n° {contract}

{lines}

Base imposable : {net}
TVA 21 % : {vat_amt}
Total TVAC : {total}

À payer pour le {due_date} au plus tard sur le compte {sp_iban_c} ({sp_bic})
au nom de {sp_name}, avec la communication {ogm}.
Conditions : en cas de non-paiement à l'échéance, un intérêt de retard
conforme à la loi du 2 août 2002 sera dû de plein droit.
""",
"nl": """Loodgieterij & sanitair
{sp_name}
{sp_addr2}
GSM: {sp_mobile}
E-mail: {sp_email}
Ondernemingsnummer {sp_vat}

Aan: {c_title} {c_name}, {c_addr}
Klantnr. {cust_no}

Factuur {inv_no}
Datum: {inv_date}
Onderhoudscontract: {contract}

Uitgevoerde werken op {service_date}: herstelling lek onder de badkamer,
vervanging sifon en kraan.

{lines}

Totaal excl. btw: {net}
Btw 6 % (renovatie woning ouder dan 10 jaar): {vat_amt}
Totaal: {total}

Deze factuur wordt via SEPA-domiciliëring geïnd op {due_date} van rekening
{c_iban} (rekeninghouder: {c_name}), mandaatreferentie {mandate}.
Werd de domiciliëring stopgezet? Betaal dan op {sp_iban_c}, BIC {sp_bic},
met gestructureerde mededeling {ogm}.
""",
"de": """Praxis für Physiotherapie
{sp_name}
{sp_addr}
Tel. {sp_fixed} – Mobil {sp_mobile}
{sp_email}
Unternehmensnummer {sp_vat_dotted} (von der MwSt. befreit, Art. 44 MwStGB)

{c_title}
{c_name}
{c_addr2}

{sp_town}, den {inv_date}

Honorarnote {inv_no}
Patientennummer: {cust_no}
Verordnung Nr.: {contract}

{lines}

Gesamtbetrag: {total}

Zahlbar innerhalb von 30 Tagen (bis {due_date}) auf das Konto
IBAN {sp_iban}, BIC {sp_bic}, Kontoinhaberin: {sp_name},
Mitteilung: {ogm}
Diese Honorarnote können Sie bei Ihrer Krankenkasse einreichen.
""",
"en": """INVOICE

From:  {sp_name} – Photography & video
       {sp_addr}
       Enterprise number {sp_vat_be}
       Mobile {sp_foreign_phone} · {sp_email}

To:    {cc_name}, attn. {c_title} {c_name}
       {cc_addr}
       VAT {cc_vat}

Invoice number {inv_no} · Issue date {inv_date} · Payment terms 30 days ({due_date})
PO number {order_no} · Framework agreement {contract}

{lines}

Net {net} · VAT 21% {vat_amt} · Total {total}

Bank details: IBAN {sp_iban} · BIC {sp_bic} · account holder {sp_name}
Reference: {ogm}
""",
}

# --- first reminder by the collector ------------------------------------------------

REMINDER = {
"fr": """{co_NAME}
Gestion de créances pour compte de tiers
{co_addr}
Tél. {co_phone} · {co_email} · TVA {co_vat_be}
                                        P.P. – P.B.
                                        Bureau de dépôt [[POSTCODE_ALONE:1099 Bruxelles X]]

[[BIC_WORD:MONSIEUR]] {d_NAME}
{d_ADDR2}

Auderghem, le {date}

Notre dossier : {file_no}
Créancier : {k_name}
Facture : {inv_no} du {inv_date}
Contrat n° {ref_bad_vat}

Objet : RAPPEL DE [[BIC_WORD:PAIEMENT]]

{d_greet}

Sauf erreur de notre part, la facture mentionnée ci-dessus, émise par notre
client {k_name}, reste impayée malgré son échéance du {due_date}.
Montant restant dû : {principal}.

Ce premier rappel est gratuit. Nous vous invitons à régler ce montant au plus
tard le {pay_by} sur le compte {co_iban} (BIC {co_bic}) avec la communication
structurée {ogm}.

Sans paiement dans ce délai de 14 jours calendrier, des intérêts de retard et
une indemnité forfaitaire de {costs} pourront vous être réclamés.

Vous rencontrez des difficultés ? Contactez votre gestionnaire, {a_name},
au {a_phone} ou par e-mail à {a_email}.

Veuillez agréer, Monsieur, nos salutations distinguées.

{a_name}
Gestionnaire de dossiers
""",
"nl": """{co_name} | {co_addr}
[[BIC_WORD:TELEFOON]] {co_phone} | {co_email} | ondernemingsnummer {co_vat}
                                        Afgiftekantoor [[POSTCODE_ALONE:1099 Brussel X]]

{d_title} {d_name}
{d_addr2}

Oudergem, {date}

[[BIC_WORD:HERINNERING]]

Ons dossier: {file_no}
Uw factuur {inv_no} van {inv_date} bij {k_name}
Klantnummer bij {k_name}: {cust_no}

{d_greet}

Volgens onze gegevens is factuur {inv_no} van {inv_date}, vervallen op
{due_date}, nog niet betaald. Het openstaande bedrag bedraagt {principal}.

Deze eerste herinnering is kosteloos. Gelieve het bedrag vóór {pay_by} over
te schrijven op rekening {co_iban} (BIC {co_bic}) van {co_name}, met de
gestructureerde mededeling {ogm}.

Betaalt u niet binnen de 14 kalenderdagen, dan kunnen verwijlintresten en
een forfaitaire schadevergoeding van {costs} worden aangerekend.

Vragen of een afbetalingsplan nodig? Bel of mail uw dossierbeheerder
{a_name}: {a_phone}, {a_email}.

Met vriendelijke groeten,

{a_name}
Dossierbeheerder
""",
"de": """{co_name} · {co_addr}

{d_title}
{d_name}
{d_addr2}

[[BIC_WORD:DRINGEND]] – ZAHLUNGSERINNERUNG

Brüssel, den {date}
Unser Zeichen: {file_no}
Gläubiger: {k_name}, MwSt. {k_vat}
Rechnung Nr. {inv_no} vom {inv_date}, fällig am {due_date}

{d_greet}

bei der Durchsicht unserer Unterlagen haben wir festgestellt, dass die oben
genannte Rechnung noch nicht vollständig beglichen ist:

Rechnungsbetrag         {principal}
bereits gezahlt         {paid}
offener Betrag          {rest}

Diese erste Erinnerung ist kostenlos. Bitte überweisen Sie den offenen Betrag
bis spätestens {pay_by}:
Kontoinhaber: {co_name}
IBAN: {co_iban}
BIC: {co_bic}
Mitteilung: {ogm}

Für Rückfragen erreichen Sie Ihre Sachbearbeiterin {a_name} unter {a_phone}
oder {a_email}.

Mit freundlichen Grüßen

{a_name}
Forderungsmanagement
{co_name} – Unternehmensnummer {co_vat_be}
""",
"en": """{co_NAME} – [[BIC_WORD:BRUSSELS]] OFFICE
{co_addr}
T {co_phone}   E {co_email}   VAT {co_vat_be}

{d_title} {d_name}
{d_addr2}

{date}

Our reference:   {file_no}
Creditor:        {k_name}
Invoice:         {inv_no} dated {inv_date} (due {due_date})
Customer number: {cust_no}

[[BIC_WORD:REMINDER]] – UNPAID INVOICE

{d_greet}

We act on behalf of {k_name}. According to their records the invoice above,
for {principal}, has not been paid yet.

This first reminder is free of charge. Please pay {principal} by {pay_by} to:

  Account holder:            {co_name}
  IBAN:                      {co_iban}
  BIC:                       {co_bic}
  Structured communication:  {ogm}

If you have already paid, please disregard this letter. If you cannot pay in
full, call {a_name} on {a_phone} to agree a payment plan.

Yours sincerely,

{a_name}
Credit Controller
Internal reference {ref_bad}
""",
}

# --- formal notice ----------------------------------------------------------------------

FORMAL_NOTICE = {
"fr": """CABINET D'AVOCATS – [[BIC_WORD:CONTENTIEUX]] COMMERCIAL
Maître {l_name}
Avocate – {l_town}
{l_addr2}
Tél. {l_fixed} – {l_email}
N° d'entreprise {l_vat}
Compte de tiers : {l_iban} – BIC {l_bic}

PAR RECOMMANDÉ ET PAR PLI SIMPLE

{d_title_long} {d_name}
{d_addr2}

{l_town}, le {date}

N/Réf. : {file_no}
Concerne : {k_name} c/ {d_last}

Objet : MISE EN DEMEURE

{d_title_long},

J'interviens en qualité de conseil de la société {k_name}
(TVA {k_vat}), dont le siège est établi {k_addr}.

Ma cliente reste créancière à votre égard d'un montant de {principal} en
principal, au titre de sa facture n° {inv_no} du {inv_date}, échue le
{due_date}, demeurée impayée malgré le rappel qui vous a été adressé le
{reminder_date}.

Décompte arrêté au {date_s} :
  - principal : {principal}
  - intérêts de retard au taux légal : {interest}
  - indemnité forfaitaire (art. XIX.2 CDE) : {costs}
  - total : {total}

Par la présente, je vous mets en demeure de verser la somme de {total} sur
le compte de tiers repris ci-dessus, avec la communication {ogm}, dans un
délai de quinze jours à dater de la présente.

À défaut, j'ai pour instruction de citer sans autre avis devant la justice de
paix compétente, les frais de procédure étant alors à votre charge.

Je vous prie d'agréer, {d_title_long}, l'expression de mes sentiments
distingués.

{l_name}
Avocate
""",
"nl": """Gerechtsdeurwaarder {l_name}
Kantoor: {l_addr}
Tel. {l_fixed} · {l_email}
Ondernemingsnummer {l_vat_be}
Derdenrekening {l_iban_c} · BIC {l_bic}

[[BIC_WORD:AANGETEKEND]]

{d_title} {d_caps}
{d_addr2}
Rijksregisternummer: {d_nn}

{l_town}, {date}

Ons dossier: {file_no}
Opdrachtgever: {k_name}, ondernemingsnummer {k_vat}

Betreft: INGEBREKESTELLING – minnelijke invordering

{d_greet}

Ik werd door mijn opdrachtgever {k_name} gelast met de invordering van
factuur {inv_no} van {inv_date}, vervallen op {due_date}, die ondanks de
herinnering van {reminder_date} onbetaald bleef.

Hoofdsom                  {principal}
Verwijlintresten          {interest}
Schadebeding              {costs}
Totaal verschuldigd       {total}

Ik verzoek u dit bedrag binnen de 15 dagen na de datum van deze brief te
betalen op mijn derdenrekening {l_iban} met vermelding van de gestructureerde
mededeling {ogm}.

Blijft betaling uit, dan zal mijn opdrachtgever zonder verdere verwittiging
een gerechtelijke procedure inleiden, waarvan de kosten ten uwe laste vallen.

Met de meeste hoogachting,

{l_name}
Gerechtsdeurwaarder
""",
"de": """Rechtsanwältin {l_name}
{l_addr}
Tel. {l_fixed} · {l_email}
Unternehmensnummer: {l_vat_dotted}
Anderkonto: IBAN {l_iban} · BIC {l_bic}

EINSCHREIBEN
Aufgabepostamt [[POSTCODE_ALONE:4700 Eupen]]

{d_title}
{d_name}
{d_addr2}

{l_town}, den {date}
Aktenzeichen: {file_no}

Inverzugsetzung – {k_name} ./. {d_last}

{d_greet}

hiermit zeige ich an, dass mich die Firma {k_name}, {k_addr},
mit der Wahrnehmung ihrer Interessen beauftragt hat.

Meine Mandantin hat Ihnen mit Rechnung Nr. {inv_no} vom {inv_date} Leistungen
in Rechnung gestellt. Die Rechnung war am {due_date} fällig und ist trotz
Zahlungserinnerung vom {reminder_date} bis heute offen.

Forderungsaufstellung:
  Hauptforderung:          {principal}
  Verzugszinsen:           {interest}
  Pauschalentschädigung:   {costs}
  Gesamt:                  {total}

Ich fordere Sie hiermit auf, den Gesamtbetrag bis spätestens {pay_by} auf das
oben genannte Anderkonto unter Angabe der Mitteilung {ogm} zu überweisen.

Sollte die Zahlung nicht fristgerecht eingehen, werde ich ohne weitere
Ankündigung Klage beim zuständigen Friedensgericht erheben.

Mit freundlichen Grüßen

{l_name}
Rechtsanwältin
""",
"en": """[[BIC_WORD:PERSONAL]] AND CONFIDENTIAL
BY REGISTERED POST – if undelivered return to [[POSTCODE_ALONE:1099 Brussels X]]

{d_title} {d_name}
{d_addr2}

{date}

Our ref: {file_no}
Your account with {k_name} (customer no. {cust_no})

LETTER BEFORE ACTION – FORMAL NOTICE OF DEFAULT

{d_greet}

We write on behalf of our client {k_name} (enterprise number {k_vat})
regarding invoice {inv_no} of {inv_date}, which fell due on {due_date} and
remains unpaid despite our reminder of {reminder_date}.

Amount outstanding
  Principal                        {principal}
  Late-payment interest            {interest}
  Fixed compensation               {costs}
  Total                            {total}

We hereby give you formal notice to pay {total} within 15 days of this letter
to IBAN {co_iban}, BIC {co_bic}, quoting the structured communication {ogm}.

If payment is not received by {pay_by}, the file will be passed to our client's
lawyer, Me {l_last} ({l_email}), with instructions to issue proceedings before
the Justice of the Peace without further notice. For the court documents our
client identifies you by your national number, {d_nn}.

Yours faithfully,

{a_name}
Legal Department, {co_name}
{co_addr}
{co_phone}
""",
}

# --- data-subject request (GDPR) -----------------------------------------------------

DATA_REQUEST = {
"fr": """{d_name}
{d_addr2}
{d_mobile}
{d_email}

{co_name}
À l'attention du délégué à la protection des données
{co_addr2}

{d_town}, le {date}

Objet : demande d'accès à mes données personnelles (art. 15 RGPD)

Madame, Monsieur,

Vous m'avez adressé un rappel concernant le dossier {file_no}. Conformément à
l'article 15 du règlement général sur la protection des données, je vous
demande de me communiquer l'ensemble des données à caractère personnel me
concernant que vous traitez, les finalités du traitement, les destinataires
et la source de ces données, en particulier l'origine de mon numéro de
registre national.

Afin de permettre mon identification :
Nom : {d_last}
Prénom : {d_first}
Date de naissance : {d_dob}
Numéro de registre national : {d_nn}
Carte d'identité n° : {d_eid}
Adresse : {d_addr}
Téléphone : {d_phone}
E-mail : {d_email}

Je vous remercie de me répondre dans le délai d'un mois prévu par le RGPD.
À défaut, je me réserve le droit d'introduire une plainte auprès de
l'Autorité de protection des données.

Veuillez agréer, Madame, Monsieur, mes salutations distinguées.

{d_name}
""",
"nl": """Van: {d_name}
{d_addr2}

Aan: {co_name} – functionaris voor gegevensbescherming
{co_addr}
per e-mail: {co_dpo}

{d_town}, {date}

Betreft: verzoek tot wissing van mijn persoonsgegevens (artikel 17 AVG)

Geachte heer, mevrouw,

Op {paid_date} heb ik het volledige saldo van dossier {file_no} betaald
({amount}). Aangezien de schuld vereffend is, verzoek ik u alle
persoonsgegevens die u over mij bijhoudt te wissen, in het bijzonder mijn
rijksregisternummer en de kopie van mijn identiteitskaart, voor zover u ze
niet wettelijk moet bewaren.

Mijn gegevens ter identificatie:
Naam: {d_name}
Geboortedatum: {d_dob}
Rijksregisternummer: {d_nn}
Nummer identiteitskaart: {d_eid}
Telefoon: {d_phone}
E-mail: {d_email}

Gelieve mij binnen de maand schriftelijk te bevestigen welke gegevens gewist
werden. Zo niet, dien ik een klacht in bij de Gegevensbeschermingsautoriteit.

Met vriendelijke groet,

{d_name}
""",
"de": """{d_name}
{d_addr2}
Tel.: {d_phone}
E-Mail: {d_email}

An die
{co_name}
z. Hd. des Datenschutzbeauftragten
{co_addr2}

{d_town}, den {date}

Auskunftsersuchen nach Art. 15 DSGVO – Ihr Aktenzeichen {file_no}

Sehr geehrte Damen und Herren,

Sie haben mir im Auftrag eines Gläubigers eine Zahlungserinnerung geschickt.
Ich bitte Sie, mir gemäß Art. 15 DSGVO mitzuteilen, welche personenbezogenen
Daten Sie über mich verarbeiten, zu welchem Zweck, an wen Sie diese
weitergegeben haben und woher Sie meine Anschrift und meine
Nationalregisternummer erhalten haben.

Zu meiner Identifizierung:
Name: {d_last}
Vorname: {d_first}
Geburtsdatum: {d_dob}
Nationalregisternummer: {d_nn}
Personalausweis-Nr. (belgische eID): {d_eid}
Anschrift: {d_addr}

Bitte antworten Sie innerhalb eines Monats. Andernfalls werde ich mich an die
Datenschutzbehörde wenden.

Mit freundlichen Grüßen

{d_name}
""",
"en": """From: {d_name}
{d_addr2}
{d_email} | {d_phone}

To: The Data Protection Officer, {co_name}, {co_addr}
By e-mail: {co_dpo}

{date}

Subject: Subject access request and request for erasure – your file {file_no}

Dear Sir or Madam,

I am writing to exercise my rights under Articles 15 and 17 of the GDPR.
Please send me a copy of all personal data you hold about me, tell me where
you obtained it, and then erase whatever you are not legally required to keep.

To help you locate my records:
Full name: {d_name}
Date of birth: {d_dob}
Belgian national register number: {d_nn}
Identity card number: {d_eid}
Current address: {d_addr}
Previous address: {d_prev_addr}
Phone: {d_phone}

I look forward to your reply within one month.

Yours faithfully,

{d_name}
""",
}

# --- e-mail between a debtor and an agent ---------------------------------------------

EMAIL = {
"fr": """From: {d_name} <{d_email}>
To: {a_email}
Date: {hdr_date}
Subject: Re: Dossier {file_no} – proposition de paiement

Bonjour {a_title_long} {a_last},

Suite à votre appel de ce matin, je vous confirme que je ne suis pas en mesure
de payer les {total} en une fois. Je vous propose de verser {inst} par mois à
partir du {start_date}, par ordre permanent depuis mon compte {d_iban}.

Mon épouse, {sp_name}, est cosignataire du contrat ; elle peut être jointe au
{sp_phone} si je ne suis pas disponible.

Pouvez-vous me confirmer cet accord par écrit ?

Bien à vous,
{d_name}
{d_phone}

-----Message d'origine-----
De : {a_name} <{a_email}>
Envoyé : {prev_date}
À : {d_email}
Objet : Dossier {file_no}

{d_greet}

Comme convenu par téléphone, vous trouverez en annexe le décompte actualisé
de votre dossier ({total}). N'hésitez pas à me faire une proposition de
paiement échelonné.

Cordialement,
{a_name}
Gestionnaire de dossiers | {co_name}
T {a_phone} | {co_web}
""",
"nl": """Van: {d_name} <{d_email}>
Aan: {a_email}
Datum: {hdr_date}
Onderwerp: Uitstel van betaling dossier {file_no}

{a_hi}

Zoals telefonisch besproken: ik ben sinds vorige maand werkloos en kan de
{total} van dossier {file_no} nu niet in één keer betalen. Mijn uitkering
wordt pas vanaf {start_date} gestort. Kan ik drie maanden uitstel krijgen?
Daarna kan ik {inst} per maand afbetalen.

In bijlage de brief van mijn vroegere werkgever.

Alvast bedankt,
{d_first}

--
{d_name}
{d_addr}
GSM {d_mobile}

> Op {prev_date} schreef {a_name} <{a_email}>:
> {d_greet}
> Wij hebben nog geen betaling ontvangen voor dossier {file_no}. Kunt u mij
> laten weten wanneer u kunt betalen? U bereikt mij rechtstreeks op {a_phone}.
> Met vriendelijke groeten,
> {a_name}
""",
"de": """Von: {a_name} <{a_email}>
An: {d_email}
Datum: {hdr_date}
Betreff: Ratenzahlungsvereinbarung – Akte {file_no}

{d_greet}

wie heute telefonisch besprochen, bestätigen wir Ihnen folgende
Ratenzahlungsvereinbarung über den offenen Betrag von {total}:

  1. Rate  {inst}  fällig am {r1}
  2. Rate  {inst}  fällig am {r2}
  3. Rate  {inst}  fällig am {r3}

Bitte überweisen Sie die Raten auf das Konto {co_iban} (BIC {co_bic}) mit der
Mitteilung {ogm}. Solange die Raten pünktlich eingehen, ruhen weitere
Beitreibungsmaßnahmen.

Mit freundlichen Grüßen
{a_name}
{co_name}
Tel. {a_phone}

---------- Ursprüngliche Nachricht ----------
Von: {d_name} <{d_email}>
Datum: {prev_date}

Guten Tag {a_title_long} {a_last},
ich kann den Betrag nicht auf einmal zahlen und schlage drei Raten vor.
Die erste Rate überweise ich von meinem deutschen Konto, {d_iban}.
Falls etwas ist, bitte auf dem Handy anrufen: {d_foreign_phone}.
Gruß
{d_name}
""",
"en": """From: {d_name} <{d_email}>
To: {a_email}
Cc: {sp_email}
Date: {hdr_date}
Subject: Invoice {inv_no} was paid – please close file {file_no}

Dear {a_title_long} {a_last},

I received your reminder for invoice {inv_no} ({total}). This invoice was
paid in full on {paid_date} by bank transfer from our joint account
{d_iban}, held by my partner {sp_name} and me. The payment reference was
{ogm}. A copy of the bank statement is attached.

Please confirm that file {file_no} is closed and that no further costs will be
charged. You can reach me on {d_phone} during office hours.

Kind regards,
{d_name}

On {prev_date}, {a_name} <{a_email}> wrote:
> {d_greet}
> Our records show that invoice {inv_no} from {k_name} is still unpaid.
> Please contact us on {a_phone} if you believe this is an error.
> {a_name}, Credit Controller
""",
}

# --- customer-portal support e-mail: secrets after labels and a login log -------------

EMAIL_SUPPORT = {
"fr": """From: {d_name} <{d_email}>
To: {co_support}
Date: {hdr_date}
Subject: Impossible de me connecter au portail

Bonjour,

Je n'arrive plus à me connecter à mon espace client (dossier {file_no}). J'ai
essayé plusieurs fois mon mot de passe habituel et le compte est maintenant
bloqué. Pour vérifier mon identité, ma réponse à la question secrète
(« nom de votre premier animal ») est : {secret}
Mon numéro de téléphone : {d_phone}

Merci d'avance,
{d_name}

--- Réponse du support ---
From: {co_support}
To: {d_email}
Date: {hdr_date2}
Subject: RE: Impossible de me connecter au portail

{d_greet}

Votre compte a été débloqué. Voici un mot de passe temporaire, à changer lors
de votre première connexion :
Mot de passe temporaire : {password}

Dernières tentatives de connexion enregistrées sur votre compte :
  {log_day} 08:14:03  échec      IP {ip1}
  {log_day} 08:14:41  échec      IP {ip1}
  {log_day} 08:15:20  blocage    IP {ip1}
  {log_day0} 19:02:55  réussite   IP {ip2}

Si vous ne reconnaissez pas l'une de ces adresses, signalez-le-nous.
Nous ne vous demanderons jamais votre mot de passe par e-mail ; merci de ne
plus nous communiquer votre réponse secrète en clair.

Cordialement,
{a_name}
Support clients – {co_name}
{co_phone}
""",
"nl": """Van: {co_support}
Aan: {d_email}
Datum: {hdr_date}
Onderwerp: Uw toegang tot het klantenportaal

{d_greet}

U meldde dat u niet kon inloggen op het klantenportaal. Uw account werd
opnieuw geactiveerd met de volgende gegevens:

Gebruikersnaam: {d_email}
Nieuw wachtwoord: {password}
Pincode voor betalingen via het portaal: {pin}

Wijzig het wachtwoord meteen na het inloggen. Onze medewerkers vragen nooit
naar uw wachtwoord of pincode.

Recente aanmeldingen op uw account:
  {log_day} 21:47:10  mislukt   {ip1}
  {log_day} 21:48:02  mislukt   {ip1}
  {log_day0} 07:31:55  geslaagd  {ip2}

Herkent u een van deze aanmeldingen niet? Bel dan meteen {co_phone}.

Met vriendelijke groeten,
{a_name}
Klantendienst {co_name}
""",
"de": """Von: {d_name} <{d_email}>
An: {co_support}
Datum: {hdr_date}
Betreff: Zugang Kundenportal gesperrt

Guten Tag,

seit gestern komme ich nicht mehr in das Kundenportal (Aktenzeichen
{file_no}). Mein Passwort: {password} – das hat bisher immer funktioniert.
Die Antwort auf meine Sicherheitsfrage (Geburtsort der Mutter) lautet:
{secret}

Bitte rufen Sie mich zurück unter {d_phone}.

Mit freundlichen Grüßen
{d_name}

----- Antwort -----
Von: {co_support}
Datum: {hdr_date2}

{d_greet}

Ihr Zugang war nach mehreren Fehlversuchen gesperrt. Laut Protokoll:
  {log_day} 06:58:12  fehlgeschlagen  {ip1}
  {log_day} 06:58:49  fehlgeschlagen  {ip1}
  {log_day} 06:59:30  gesperrt        {ip2}
Wir haben den Zugang entsperrt. Bitte vergeben Sie über „Passwort vergessen“
ein neues Passwort und senden Sie uns Passwörter nie per E-Mail.

Mit freundlichen Grüßen
{a_name}
Kundenservice {co_name}
Tel. {co_phone}
""",
"en": """From: {co_support}
To: {d_email}
Date: {hdr_date}
Subject: Your customer portal account – security notice

{d_greet}

Following your call, we have reset access to your customer portal account.

  Login:               {d_email}
  Temporary password:  {password}
  Payment PIN:         {pin}

You will be asked to choose a new password when you first sign in.

We noticed sign-in attempts on your account from unfamiliar addresses:
  {log_day} 23:12:40 UTC  failed    {ip1}
  {log_day} 23:13:05 UTC  failed    {ip2}
  {log_day0} 18:20:11 UTC  success   {ip3}
If the last one was not you, please call us on {co_phone}.

Kind regards,
{a_name}
Customer Support, {co_name}
""",
}

# --- plain letters --------------------------------------------------------------------

LETTER = {
# French: a debtor contests a claim (written as CP1252 by generate.py)
"fr": """{d_name}
{d_addr2}
Tél. : {d_fixed}

{co_name}
Service contentieux
{co_addr2}

{d_town}, le {date}

Concerne : votre dossier {file_no} – {k_name}

Madame, Monsieur,

J'ai bien reçu votre courrier du {letter_date}. Je conteste le montant réclamé
de {total} : la facture {inv_no} a été réglée le {paid_date} par virement
depuis notre compte {d_iban} (titulaire du compte : {sp_name}, mon
épouse). Vous trouverez ci-joint la preuve de paiement (extrait de compte).

Je vous demande donc de clôturer ce dossier et de cesser tout rappel. Mon
fils, {child_name}, qui m'aide pour mes papiers, peut être joint au
{child_phone} ou par e-mail ({child_email}).

Veuillez agréer, Madame, Monsieur, l'expression de mes salutations
distinguées.

{d_name}
""",
"nl": """{d_name}
{d_addr2}

{co_name}
t.a.v. de dienst invordering
{co_addr2}

{d_town}, {date}

Betreft: adreswijziging en afbetalingsvoorstel – dossier {file_no}

Geachte heer, mevrouw,

Sinds {move_date} woon ik niet meer op {d_old_addr}, maar op het adres
hierboven. Mijn nieuw gsm-nummer is {d_mobile}; mijn vaste lijn
{d_fixed} blijft ongewijzigd. Mijn rijksregisternummer is {d_nn}, zodat u
mijn dossier makkelijk terugvindt.

Ik stel voor om het openstaande bedrag van {total} af te lossen met {inst} per
maand, via een doorlopende opdracht van mijn rekening {d_iban}
(BIC {d_bic}), telkens op de vijfde van de maand.

Met vriendelijke groeten,

{d_name}
""",
# German: the collector closes a file and refunds an overpayment (UTF-16)
"de": """{co_name} · {co_addr}

{d_title}
{d_name}
{d_addr2}

Brüssel, den {date}

Ihr Aktenzeichen: {file_no}
Abschlussbestätigung und Erstattung

{d_greet}

wir bestätigen den Eingang Ihrer letzten Zahlung vom {paid_date} über {inst}.
Damit ist die Forderung der {k_name} vollständig beglichen und Ihre Akte
geschlossen.

Sie haben {over} zu viel gezahlt. Wir erstatten diesen Betrag auf das Konto,
von dem Ihre Zahlungen eingegangen sind:
  Kontoinhaber: {d_name}
  IBAN: {d_iban}
  BIC: {d_bic}

Ihre personenbezogenen Daten löschen wir nach Ablauf der gesetzlichen
Aufbewahrungsfrist.

Mit freundlichen Grüßen

{a_name}
Tel. {a_phone}
""",
# English: a debt mediator announces a collective debt settlement
"en": """{m_name}
Debt mediator – collective debt settlement
{m_addr}
Tel {m_fixed} · {m_email}

{co_name}
{co_addr2}

{date}

Your file: {file_no}
Re: {d_title} {d_name}, national number {d_nn}

Dear Sir or Madam,

I have been appointed by the Labour Court as debt mediator for {d_title}
{d_name}, residing at {d_addr}, in the collective debt settlement opened on
{order_date} (court reference {court_ref}).

From that date all enforcement measures are suspended and interest stops
running. Please stop contacting {d_title} {d_last} directly and send me, within
one month, a statement of your claim with supporting documents.

Payments under the settlement plan will be made from my mediation account
{m_iban}. Any question: {m_email} or {m_fixed}.

Yours faithfully,

{m_name}
Debt mediator
""",
}

# --- HTML letters and e-mails ---------------------------------------------------------

HTML = {
"fr": """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Confirmation de votre plan de paiement</title>
</head>
<body>
<p><strong>{co_name}</strong><br>
{co_addr}<br>
TVA {co_vat_be}</p>

<p>{d_title} {d_name}<br>
{d_addr}</p>

<p>Auderghem, le {date}</p>

<p><strong>Objet :</strong> plan de paiement &ndash; dossier {file_no}</p>

<p>{d_greet}</p>

<p>Nous vous confirmons l'accord intervenu avec notre client {k_name} pour
l'apurement de votre dette de {total} selon le calendrier suivant :</p>

<table border="1" cellpadding="4">
<tr><th>Échéance</th><th>Montant</th></tr>
<tr><td>{r1}</td><td>{inst}</td></tr>
<tr><td>{r2}</td><td>{inst}</td></tr>
<tr><td>{r3}</td><td>{last_inst}</td></tr>
</table>

<p>Les paiements sont à effectuer sur le compte <strong>{co_iban}</strong>
(BIC {co_bic}) avec la communication structurée <strong>{ogm}</strong>.</p>

<p>En cas de retard de plus de quinze jours, le solde redeviendra
immédiatement exigible.</p>

<p>Cordialement,<br>
{a_name}<br>
Gestionnaire de dossiers<br>
{a_phone} &middot; {a_email}</p>
</body>
</html>
""",
"nl": """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Betalingsbevestiging</title>
</head>
<body style="font-family: Arial, sans-serif">
<h2>Bedankt voor uw betaling</h2>
<p>{d_hi}</p>
<p>Wij ontvingen op {paid_date} uw betaling van <b>{inst}</b> voor dossier
{file_no} ({k_name}).</p>
<table>
<tr><td>Betaald van rekening</td><td>{d_iban}</td></tr>
<tr><td>Op naam van</td><td>{d_name}</td></tr>
<tr><td>Mededeling</td><td>{ogm}</td></tr>
<tr><td>Resterend saldo</td><td>{rest}</td></tr>
<tr><td>Volgende vervaldag</td><td>{next_due}</td></tr>
</table>
<p>Uw gegevens bij ons: {d_addr} &ndash; {d_phone} &ndash; {d_email}.
Klopt er iets niet? Laat het ons weten via {co_email} of {co_phone}.</p>
<p>Met vriendelijke groeten,<br>
{a_name}<br>
{co_name} &ndash; {co_addr}</p>
</body>
</html>
""",
"de": """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Forderungsaufstellung</title>
</head>
<body>
<h1>Forderungsaufstellung</h1>
<p>{co_name} &middot; {co_addr} &middot; Unternehmensnummer {co_vat}</p>
<p>{d_title} {d_name}<br>
{d_addr}</p>
<p>Brüssel, den {date} &ndash; Aktenzeichen {file_no}</p>
<p>{d_greet}</p>
<p>im Auftrag der {k_name} übersenden wir Ihnen die Aufstellung der offenen
Rechnungen:</p>
<table border="1">
<thead><tr><th>Rechnung</th><th>Datum</th><th>Betrag</th></tr></thead>
<tbody>
<tr><td>{inv1}</td><td>{inv1_date}</td><td>{inv1_amt}</td></tr>
<tr><td>{inv2}</td><td>{inv2_date}</td><td>{inv2_amt}</td></tr>
<tr><td>{inv3}</td><td>{inv3_date}</td><td>{inv3_amt}</td></tr>
</tbody>
<tfoot><tr><td colspan="2">Gesamt</td><td>{total}</td></tr></tfoot>
</table>
<p>Bitte überweisen Sie den Gesamtbetrag auf IBAN {co_iban}, BIC {co_bic},
Mitteilung {ogm}.</p>
<p>Mit freundlichen Grüßen<br>
{a_name}<br>
Telefon {a_phone}</p>
</body>
</html>
""",
"en": """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Your account details have changed</title>
</head>
<body>
<div class="header">{co_name} &ndash; Customer portal</div>
<p>{d_greet}</p>
<p>The contact details of your customer account {cust_no} were changed on
{changed_on}. Your details are now:</p>
<ul>
<li>Name: {d_name}</li>
<li>Address: {d_addr}</li>
<li>Mobile: {d_mobile}</li>
<li>E-mail: {d_email}</li>
<li>Refund account (IBAN): {d_iban}</li>
</ul>
<p>If you did not make this change, call us immediately on {co_phone} or write
to {co_support}.</p>
<p>Best regards,<br>
{a_name}<br>
Customer Support</p>
<p><small>{co_name}, {co_addr}, VAT {co_vat_be}</small></p>
</body>
</html>
""",
}

# --- collector's case notes (Markdown) -------------------------------------------------

CASE_NOTE = {
"fr": """# Dossier {file_no} – {d_rev}

**Créancier :** {k_name}
**Débiteur :** {d_title} {d_name}, {d_born} {d_dob}
**N° national :** {d_nn}
**Adresse :** {d_addr}
**Montant réclamé :** {total}

## Historique

- **{n1}** – Appel sortant au {d_mobile} : pas de réponse, message laissé.
- **{n2}** – Le débiteur rappelle depuis le {d_fixed}. Conteste les intérêts,
  reconnaît le principal. Propose 4 × {inst}.
- **{n3}** – Premier versement par carte : le débiteur a dicté au téléphone
  sa carte {card} (exp. 09/27). À l'avenir, NE PAS noter le numéro de carte :
  envoyer le lien de paiement.
- **{n4}** – Sa compagne, {sp_title} {sp_name}, appelle pour signaler un
  déménagement : {d_new_addr}.

## À faire

- [ ] Envoyer le plan d'apurement signé à {d_email}
- [ ] Vérifier le versement de {inst} attendu le {n5} (communication {ogm})

_Note rédigée par {a_name}_
""",
"nl": """# Dossier {file_no}

| Veld | Waarde |
|---|---|
| Schuldenaar | {d_name} |
| Geboortedatum | {d_dob} |
| Rijksregisternr. | {d_nn} |
| Adres | {d_addr} |
| GSM | {d_phone} |
| E-mail | {d_email} |
| Openstaand | {total} |

## Notities

**{n1}** – Schuldenaar belde op. Identiteit gecontroleerd met de kopie van de
identiteitskaart die via het portaal werd opgeladen. OCR van de leesbare zone:

```
{mrz}
```

Kaartnummer {d_eid}, geldig tot {card_expiry}.

**{n2}** – Afbetalingsplan akkoord: 6 × {inst}, eerste storting op {n3} op
{co_iban} met mededeling {ogm}.

**{n4}** – Partner {sp_name} ({sp_phone}) bevestigt dat de eerste storting
vertrokken is.

_{a_name}_
""",
"de": """# Akte {file_no} – {d_name}

Gläubiger: {k_name} (MwSt. {k_vat})
Schuldner: {d_title_long} {d_name}, {d_born} {d_dob}
Anschrift: {d_addr}
Arbeitgeber: {employer}
Bankverbindung des Schuldners: {d_iban}, Kontoinhaber {d_name}

## Verlauf

* {n1}: Telefonat mit dem Schuldner unter {d_phone}. Er gibt an, die Rechnung
  wegen eines Mangels an der Heizung nicht bezahlt zu haben.
* {n2}: Rückruf von seiner Tochter, Frau {sp_name}, Tel. {sp_phone} (Aachen).
  Sie übernimmt die Korrespondenz, E-Mail {sp_email}.
* {n3}: Ratenzahlung vereinbart: 3 Raten à {inst}.
* {n4}: Erste Rate laut [[BIC_WORD:KONTOAUSZUG]] eingegangen.

## Nächste Schritte

Zweite Rate am {n5} prüfen, sonst Mahnung.

– {a_name}
""",
"en": """# Case {file_no} — {d_name}

- **Creditor:** {k_name}
- **Debtor:** {d_title} {d_name} (DOB {d_dob})
- **BIS number:** {d_nn}
- **Address:** {d_addr}
- **Phones:** {d_mobile} (mobile), {d_foreign_phone} (UK, evenings)
- **Email:** {d_email}
- **Balance:** {total}

## Log

1. {n1} — Debtor is a seasonal worker, registered with a BIS number, not in the
   National Register. Speaks English, prefers email.
2. {n2} — Called the UK number. Debtor confirms the debt but disputes the
   late-payment interest. Sent statement to {d_email}.
3. {n3} — Employer's HR officer, {sp_name} ({sp_email}), confirms the debtor
   works for them until the end of the season.
4. {n4} — Proposal: {inst} per week. Accepted by {a_name}.

_Next review: {n5}_
""",
}

# --- bilingual letters (Brussels) -------------------------------------------------------

BILINGUAL_LETTER_HEAD = """{co_name_fr} / {co_name_nl}
{co_addr} – {co_addr_nl}
TVA/BTW {co_vat_be} – Tél./Tel. {co_phone}

{d_title_fr} / {d_title_nl} {d_name}
{d_addr2}

Bruxelles/Brussel, {date}
Dossier : {file_no}
"""
BILINGUAL_LETTER_FR = """
--- Version française ---

{d_greet_fr}

Nous n'avons pas encore reçu le paiement de {total} relatif à la facture
{inv_no} de {k_name}. Nous vous prions de verser ce montant avant le {pay_by}
sur le compte {co_iban} (BIC {co_bic}), communication structurée
{ogm_bare}.

Pour toute question : {a_name}, {a_phone}, {a_email}.
"""
BILINGUAL_LETTER_NL = """
--- Nederlandse versie ---

{d_greet_nl}

Wij hebben de betaling van {total} voor factuur {inv_no} van {k_name} nog
niet ontvangen. Gelieve dit bedrag vóór {pay_by} over te schrijven op rekening
{co_iban} (BIC {co_bic}), gestructureerde mededeling {ogm_bare}.

Voor vragen: {a_name}, {a_phone}, {a_email}.
"""
BILINGUAL_LETTER_SIGN = """
{a_name}
{co_name_fr}
"""

BILINGUAL_CARE_HEAD = """Résidence Les Tilleuls – Residentie De Linden
Maison de repos et de soins – Woonzorgcentrum
{s_addr} – {s_addr_nl}
TVA/BTW {s_vat} – {s_phone} – {s_email}

{p_title_fr} {p_name}
{p_addr2}

P.P. – P.B. [[POSTCODE_ALONE:1050 Ixelles 1]] / [[POSTCODE_ALONE:1050 Elsene 1]]

Résident / Bewoner : {r_name}
NISS / INSZ : {r_nn}
Chambre / Kamer : 214
"""
BILINGUAL_CARE_FR = """
{p_greet_fr}

La facture d'hébergement du mois de {month_fr} de {r_title_fr} {r_last} ({inv_no},
{total}) est restée impayée. Nous vous remercions de la régler avant le
{pay_by} sur le compte {s_iban} – BIC {s_bic}, avec la communication
{ogm}. Le service facturation reste joignable au {s_phone}.
"""
BILINGUAL_CARE_NL = """
{p_greet_nl}

De verblijfsfactuur van {month_nl} van {r_title_nl} {r_last} ({inv_no},
{total}) is nog niet betaald. Gelieve ze vóór {pay_by} te betalen op
rekening {s_iban} – BIC {s_bic}, met mededeling {ogm}. De
facturatiedienst is bereikbaar op {s_phone}.
"""
BILINGUAL_CARE_SIGN = """
{b_name}
Service facturation – Facturatiedienst
"""

# --- e-mail with payment card numbers -------------------------------------------------------

EMAIL_CARD = """From: {d_name} <{d_email}>
To: {co_payments}
Date: {hdr_date}
Subject: Charged twice – file {file_no}

Hello,

On {paid_date} I paid the instalment of {inst} for file {file_no} through your
payment page with my Visa card {card1}, and the amount was taken twice (see
my statement of {stmt_date}). Could you refund one of the two payments?

If the Visa is a problem, you can charge the next instalment to my Mastercard
{card2} instead.

Thanks,
{d_name}
{d_phone}

--- reply ---
From: {a_name} <{a_email}>
Date: {hdr_date2}

{d_greet}

Thank you, we see the double payment and have refunded {inst} to the card you
used. For your security, please never send full card numbers by e-mail: use
the payment link in your customer portal instead. We have deleted your
message from our ticketing system.

Kind regards,
{a_name}
Payments team, {co_name}
"""

# --- support e-mail with an identity card MRZ pasted in ------------------------------------

EMAIL_MRZ = """From: {d_name} <{d_email}>
To: {co_verify}
Date: {hdr_date}
Subject: Copie carte d'identité – dossier {file_no}

Bonjour,

Vous m'avez demandé une copie de ma carte d'identité pour vérifier mon
identité. La pièce jointe ne passe pas, alors voici le texte que mon
application de scan a lu au dos de la carte :

{mrz}

La carte porte le numéro {d_eid}.

Cordialement,
{d_name}
{d_phone}

--- Réponse ---
From: {a_name} <{a_email}>
Date: {hdr_date2}

{d_greet}

Merci. Nous avons pu vérifier votre identité. Attention : la zone de lecture
optique de votre carte contient votre numéro de registre national ; ne la
transmettez plus par e-mail. Pour une copie, masquez la photo et le numéro
national, y compris dans les trois lignes du bas au verso.

Cordialement,
{a_name}
Service vérification – {co_name}
"""

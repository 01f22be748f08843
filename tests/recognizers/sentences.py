"""Sentences in the four languages that hold a value after its usual label."""

LABELS = {
    "BE_NATIONAL_NUMBER": {
        "fr": "Veuillez trouver mon numéro de registre national : {v}, merci de le traiter.",
        "nl": "Mijn rijksregisternummer is {v} zoals gevraagd.",
        "en": "My national register number is {v} as requested.",
        "de": "Meine Nationalregisternummer lautet {v} wie gewünscht.",
    },
    "BE_ENTERPRISE_NUMBER": {
        "fr": "Notre numéro d'entreprise (TVA) : {v}.",
        "nl": "Ons ondernemingsnummer (BTW) is {v}.",
        "en": "Our VAT number is {v}.",
        "de": "Unsere MwSt-Nummer ist {v}.",
    },
    "BE_ID_CARD_NUMBER": {
        "fr": "Le numéro de ma carte d'identité est {v}.",
        "nl": "Het nummer van mijn identiteitskaart is {v}.",
        "en": "My identity card number is {v}.",
        "de": "Die Nummer meines Personalausweises ist {v}.",
    },
    "IBAN_CODE": {
        "fr": "Merci de verser le montant sur le compte {v} avant la fin du mois.",
        "nl": "Gelieve het bedrag te storten op rekening {v} voor het einde van de maand.",
        "en": "Please pay the amount into account {v} before the end of the month.",
        "de": "Bitte überweisen Sie den Betrag auf das Konto {v} bis Monatsende.",
    },
    "BIC_CODE": {
        "fr": "Code BIC : {v} pour les virements internationaux.",
        "nl": "BIC: {v} voor internationale overschrijvingen.",
        "en": "SWIFT: {v} for international transfers.",
        "de": "BIC: {v} für Auslandsüberweisungen.",
    },
}

PAYMENT_REFERENCE = {
    "fr": "Veuillez mentionner la communication structurée {v} lors du paiement.",
    "nl": "Vermeld de gestructureerde mededeling {v} bij uw betaling.",
    "en": "Please quote the structured communication {v} with your payment.",
    "de": "Bitte geben Sie die strukturierte Mitteilung {v} bei der Zahlung an.",
}

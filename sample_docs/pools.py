"""Word pools for the sample-document generator (see generate.py).

Street names, postcodes and municipalities are real Belgian ones so that the
addresses look right; house numbers, boxes and the people living there are
invented. Company names are invented too.
"""

# --- given names: (name, sex) ----------------------------------------------
GIVEN = {
    "fr": {
        "M": ["Jean", "Luc", "Philippe", "Michel", "Olivier", "Benoît", "François",
              "Cédric", "Gaëtan", "Thierry", "Jean-Pierre", "Jean-Marc", "Théo",
              "Hugo", "Maxime", "Grégory", "Pascal", "Arnaud", "Quentin"],
        "F": ["Marie", "Sophie", "Isabelle", "Nathalie", "Camille", "Léa",
              "Géraldine", "Aurélie", "Hélène", "Mathilde", "Noémie", "Marie-Claire",
              "Anne-Sophie", "Valérie", "Chloé", "Manon", "Séverine", "Ysaline"],
    },
    "nl": {
        "M": ["Jan", "Pieter", "Tom", "Wout", "Koen", "Bart", "Lieven", "Jens",
              "Seppe", "Dirk", "Kristof", "Jef", "Wannes", "Stijn", "Joris",
              "Pieter-Jan", "Arne", "Bram", "Gilles"],
        "F": ["Els", "An", "Lotte", "Sofie", "Griet", "Hanne", "Marieke", "Febe",
              "Nele", "Annelies", "Roos", "Ine", "Lies", "Katrien", "Anne-Marie",
              "Fien", "Jozefien"],
    },
    "de": {
        "M": ["Jürgen", "Lukas", "Klaus", "Stefan", "Tobias", "Günter", "Matthias",
              "Björn", "Karl-Heinz", "Jonas", "Norbert", "Raphael"],
        "F": ["Heike", "Anna-Lena", "Monika", "Sabine", "Jana", "Ursula", "Lea",
              "Birgit", "Marlene", "Kerstin", "Annegret"],
    },
    "en": {
        "M": ["James", "Oliver", "Daniel", "Thomas", "Graham", "Callum", "Rhys",
              "Declan", "Edward"],
        "F": ["Emily", "Charlotte", "Sarah", "Rachel", "Aoife", "Siobhan", "Priya",
              "Hannah", "Fiona"],
    },
}

# --- family names -----------------------------------------------------------
FAMILY = {
    "fr": ["Dupont", "Lambert", "Dubois", "Martin", "Leclercq", "Le Clercq",
           "Renard", "Lejeune", "Delvaux", "Dumont", "Collignon", "Fontaine",
           "Piron", "Mathieu", "Masson", "Bastin", "Lemaire", "Hennuy", "Delcourt",
           "de Ribaucourt", "Lefèvre", "Ghislain", "Dethier", "Lallemand", "Wéry",
           "Delhasse", "Vanderschueren"],
    "nl": ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
           "Goossens", "Wouters", "De Smet", "Van den Broeck", "Vermeulen",
           "D'Hondt", "De Backer", "Van Damme", "Verstraete", "Van de Velde",
           "Vanhoutte", "Declercq", "Verhaegen", "Van Acker", "De Wilde", "Claeys",
           "Vandenberghe", "Van Hoof", "Cuypers", "Op de Beeck"],
    "de": ["Müller", "Schmitz", "Kessler", "Cremer", "Heinen", "Mreyen", "Fickers",
           "Thelen", "Lenz", "Pauels", "Schröder", "von Arnim", "Hilgers", "Mießen",
           "Kohnen", "Jost", "Radermacher", "Xhonneux", "Theißen", "Wintgens"],
    "en": ["Clarke", "Thompson", "O'Brien", "Hughes", "Fitzgerald", "Patel",
           "McAllister", "Walsh", "Harrington", "Whitfield", "Campbell", "Ní Bhriain"],
}

# Dutch (Netherlands) names keep a lower-case particle after a given name
# ("Sanne van der Meer") and capitalise it on its own ("mevrouw Van der Meer").
FAMILY_NL_NETHERLANDS = ["van der Meer", "de Vries", "van Dijk", "van den Berg"]

# Less common names, as met in Brussels files: (given, family, sex).
UNCOMMON = [
    ("Oumaima", "El Khattabi", "F"), ("Mehmet", "Yılmaz", "M"),
    ("Zbigniew", "Wróblewski", "M"), ("Aïcha", "Benali", "F"),
    ("Kwame", "Mensah", "M"), ("Ljiljana", "Petrović", "F"),
    ("Thi Lan", "Nguyen", "F"), ("Yusuf", "Demir", "M"),
    ("Ionuț", "Popescu", "M"), ("Bogdana", "Szczepańska", "F"),
    ("Siddharth", "Venkataraman", "M"), ("Fatoumata", "Diallo", "F"),
    ("Rachid", "Ait Ouarab", "M"), ("Ngozi", "Okonkwo", "F"),
]

# --- streets ------------------------------------------------------------------
# Brussels is bilingual: (French street, Dutch street, postcode,
# French municipality, Dutch municipality).
BRUSSELS = [
    ("Rue de la Loi", "Wetstraat", "1000", "Bruxelles", "Brussel"),
    ("Rue Neuve", "Nieuwstraat", "1000", "Bruxelles", "Brussel"),
    ("Rue du Midi", "Zuidstraat", "1000", "Bruxelles", "Brussel"),
    ("Rue Haute", "Hoogstraat", "1000", "Bruxelles", "Brussel"),
    ("Rue de la Senne", "Zennestraat", "1000", "Bruxelles", "Brussel"),
    ("Rue Royale", "Koningsstraat", "1000", "Bruxelles", "Brussel"),
    ("Square Ambiorix", "Ambiorixsquare", "1000", "Bruxelles", "Brussel"),
    ("Chaussée de Wavre", "Waversesteenweg", "1160", "Auderghem", "Oudergem"),
    ("Avenue Louise", "Louizalaan", "1050", "Ixelles", "Elsene"),
    ("Place Flagey", "Flageyplein", "1050", "Ixelles", "Elsene"),
    ("Chaussée de Louvain", "Leuvensesteenweg", "1030", "Schaerbeek", "Schaarbeek"),
    ("Avenue Brugmann", "Brugmannlaan", "1190", "Forest", "Vorst"),
    ("Chaussée d'Alsemberg", "Alsembergsesteenweg", "1180", "Uccle", "Ukkel"),
    ("Rue Vanderkindere", "Vanderkinderestraat", "1180", "Uccle", "Ukkel"),
    ("Avenue de Tervueren", "Tervurenlaan", "1150", "Woluwe-Saint-Pierre",
     "Sint-Pieters-Woluwe"),
    ("Chaussée de Gand", "Gentsesteenweg", "1080", "Molenbeek-Saint-Jean",
     "Sint-Jans-Molenbeek"),
    ("Chaussée de Waterloo", "Waterloosesteenweg", "1060", "Saint-Gilles",
     "Sint-Gillis"),
    ("Avenue des Arts", "Kunstlaan", "1210", "Saint-Josse-ten-Noode",
     "Sint-Joost-ten-Node"),
    ("Boulevard Lambermont", "Lambermontlaan", "1030", "Schaerbeek", "Schaarbeek"),
    ("Rue Marconi", "Marconistraat", "1190", "Forest", "Vorst"),
]

# Wallonia: (street, postcode, municipality, telephone zone).
WALLONIA = [
    ("Rue des Guillemins", "4000", "Liège", "4"),
    ("Boulevard d'Avroy", "4000", "Liège", "4"),
    ("Rue Saint-Gilles", "4000", "Liège", "4"),
    ("Rue de Fer", "5000", "Namur", "81"),
    ("Rue de Bruxelles", "5000", "Namur", "81"),
    ("Boulevard Tirou", "6000", "Charleroi", "71"),
    ("Rue de la Station", "1300", "Wavre", "10"),
    ("Chaussée de Bruxelles", "1410", "Waterloo", "2"),
    ("Rue de Nimy", "7000", "Mons", "65"),
    ("Rue Royale", "7500", "Tournai", "69"),
    ("Avenue des Combattants", "1340", "Ottignies-Louvain-la-Neuve", "10"),
    ("Rue Spintay", "4800", "Verviers", "87"),
    ("Rue de Namur", "1400", "Nivelles", "67"),
    ("Avenue de la Gare", "6700", "Arlon", "63"),
    ("Rue Grande", "5500", "Dinant", "82"),
]

# Flanders: (street, postcode, municipality, telephone zone).
FLANDERS = [
    ("Kortrijksesteenweg", "9000", "Gent", "9"),
    ("Overpoortstraat", "9000", "Gent", "9"),
    ("Sint-Pietersnieuwstraat", "9000", "Gent", "9"),
    ("Meir", "2000", "Antwerpen", "3"),
    ("Frankrijklei", "2000", "Antwerpen", "3"),
    ("Lange Kievitstraat", "2018", "Antwerpen", "3"),
    ("Turnhoutsebaan", "2140", "Borgerhout", "3"),
    ("Boomsesteenweg", "2610", "Wilrijk", "3"),
    ("Bondgenotenlaan", "3000", "Leuven", "16"),
    ("Naamsestraat", "3000", "Leuven", "16"),
    ("Diestsesteenweg", "3010", "Kessel-Lo", "16"),
    ("Steenstraat", "8000", "Brugge", "50"),
    ("Grote Markt", "2800", "Mechelen", "15"),
    ("Antwerpsesteenweg", "2800", "Mechelen", "15"),
    ("Stationsstraat", "2300", "Turnhout", "14"),
    ("Bredabaan", "2930", "Brasschaat", "3"),
    ("Kerkstraat", "9100", "Sint-Niklaas", "3"),
    ("Hasseltweg", "3600", "Genk", "89"),
    ("Elisabethlaan", "8400", "Oostende", "59"),
    ("Molendreef", "9920", "Lievegem", "9"),
    ("Blauwtorenplein", "2000", "Antwerpen", "3"),
]

# German-speaking Belgium: (street, postcode, municipality, telephone zone).
OSTBELGIEN = [
    ("Bahnhofstraße", "4700", "Eupen", "87"),
    ("Klötzerbahn", "4700", "Eupen", "87"),
    ("Aachener Straße", "4700", "Eupen", "87"),
    ("Gospertstraße", "4700", "Eupen", "87"),
    ("Herbesthaler Straße", "4700", "Eupen", "87"),
    ("Neustraße", "4700", "Eupen", "87"),
    ("Rotenberg", "4700", "Eupen", "87"),
    ("Hauptstraße", "4780", "Sankt Vith", "80"),
    ("Malmedyer Straße", "4780", "Sankt Vith", "80"),
    ("Kirchstraße", "4730", "Raeren", "87"),
    ("Lütticher Straße", "4720", "Kelmis", "87"),
    ("Schulstraße", "4750", "Bütgenbach", "80"),
]

# Personal e-mail domains by language of the person.
MAIL_DOMAINS = {
    "fr": ["skynet.be", "gmail.com", "hotmail.com", "proximus.be", "yahoo.fr",
           "outlook.be", "live.be"],
    "nl": ["telenet.be", "gmail.com", "hotmail.com", "skynet.be", "outlook.com",
           "proximus.be", "icloud.com"],
    "de": ["gmail.com", "skynet.be", "gmx.de", "web.de", "t-online.de",
           "telenet.be"],
    "en": ["gmail.com", "outlook.com", "hotmail.co.uk", "icloud.com", "proton.me"],
}

# Belgian banks used for the invented accounts: bank code -> bank name.
# The BIC is always taken from python-stdnum (stdnum.be.iban.to_bic).
BE_BANKS = {
    "001": "BNP Paribas Fortis", "096": "Belfius", "068": "Belfius",
    "310": "ING Belgique", "363": "ING België", "735": "KBC", "734": "KBC",
    "973": "Argenta", "103": "Crelan", "523": "Triodos", "679": "bpost",
    "651": "Keytrade Bank", "890": "vdk bank",
}

# Foreign banks: country -> (bank code as in the BBAN, BIC, bank name).
FOREIGN_BANKS = {
    "FR": [("30004", "BNPAFRPP", "BNP Paribas"), ("30003", "SOGEFRPP", "Société Générale")],
    "NL": [("ABNA", "ABNANL2A", "ABN AMRO"), ("INGB", "INGBNL2A", "ING Bank"),
           ("RABO", "RABONL2U", "Rabobank")],
    "DE": [("39050000", "AACSDE33XXX", "Sparkasse Aachen"),
           ("37040044", "COBADEFFXXX", "Commerzbank")],
    "LU": [("001", "BCEELULL", "Spuerkeess"), ("002", "BILLLULL", "BIL")],
}

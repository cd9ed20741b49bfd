"""Case-insensitive matching that holds for Turkish (dotted and dotless i) and Esperanto."""

from hypothesis import given
from hypothesis import strategies as st

from corep_drafts.domain.folding import contains, fold


def test_the_four_turkish_i_letters_match_each_other():
    assert fold("İSTANBUL") == fold("istanbul") == fold("Istanbul") == fold("ıstanbul")
    assert fold("DİYARBAKIR") == fold("diyarbakır")


def test_a_capital_dotted_i_does_not_become_an_i_with_a_combining_dot():
    assert "\u0307" not in fold("İlknur")
    assert fold("i\u0307lknur".upper()) == fold("ilknur")


def test_esperanto_letters_keep_their_accents_and_match_their_capitals():
    assert fold("ĈU ĜI ŜANĜIĜAS") == "ĉu ĝi ŝanĝiĝas"
    assert fold("ĉu") != fold("cu")


def test_composed_and_decomposed_accents_are_the_same_letter():
    assert fold("Türkiye") == fold("Tu\u0308rkiye")


def test_search_finds_a_word_whatever_its_case_or_turkish_i():
    assert contains("Toplanma Özgürlüğü Üzerine Bildiri", "özgürlüğü")
    assert contains("İZMİR'de grev", "izmir")
    assert not contains("Ankara", "izmir")


@given(st.text())
def test_folding_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(), st.text(), st.text())
def test_a_word_is_found_in_any_text_that_holds_it(before, word, after):
    assert contains(before + word + after, word)


@given(st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ"))
def test_a_turkish_word_is_found_in_capitals_and_in_small_letters(word):
    assert contains(word.upper(), word) and contains(word.lower(), word)

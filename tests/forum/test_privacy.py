import pytest

from forum.core.privacy import find_isikukood, identification_risks, is_isikukood


@pytest.mark.parametrize(
    "code",
    [
        "37605030299",  # the well-known example
        "49403136515",
        "60001019906",  # born in the 2000s
        "50001010006",
    ],
)
def test_valid_personal_codes_are_recognised(code):
    assert is_isikukood(code)


def _check_digit(first_ten: str) -> int:
    for weights in ((1, 2, 3, 4, 5, 6, 7, 8, 9, 1), (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)):
        check = sum(int(d) * w for d, w in zip(first_ten, weights, strict=True)) % 11
        if check != 10:
            return check
    return 0


def test_the_second_weights_and_the_zero_fallback_are_applied():
    # Find real dates whose first weighted sum gives 10, so the second set of weights decides.
    second_round = [
        f"3{n:02d}0101{s:03d}"
        for n in range(100)
        for s in range(1000)
        if sum(
            int(d) * w
            for d, w in zip(f"3{n:02d}0101{s:03d}", (1, 2, 3, 4, 5, 6, 7, 8, 9, 1), strict=True)
        )
        % 11
        == 10
    ][:50]
    assert second_round
    for first_ten in second_round:
        code = first_ten + str(_check_digit(first_ten))
        assert is_isikukood(code)
        wrong = first_ten + str((_check_digit(first_ten) + 1) % 10)
        assert not is_isikukood(wrong)


@pytest.mark.parametrize(
    "code",
    [
        "37605030298",  # wrong check digit
        "97605030299",  # first digit 9
        "07605030299",  # first digit 0
        "37613030294",  # month 13
        "37602300298",  # 30 February
        "3760503029",  # ten digits
        "376050302991",  # twelve digits
        "3760503029a",
    ],
)
def test_invalid_codes_are_not_personal_codes(code):
    assert not is_isikukood(code)


def test_codes_are_found_in_text_also_when_grouped():
    assert find_isikukood("Lapse kood on 37605030299.").code == "37605030299"
    assert find_isikukood("kood 376 050 302 99 siin").code == "37605030299"
    assert find_isikukood("kood 3760503-0299").code == "37605030299"
    assert find_isikukood("telefon 5551234, arve 376050302990") is None
    assert find_isikukood("") is None


def test_names_with_ages_and_addresses_are_flagged_but_general_text_is_not():
    assert identification_risks("Mari, 7-aastane, käib meie ringis")
    assert identification_risks("7-aastane Jüri tuleb koju üksi")
    assert identification_risks("Pere elab Pae tn 5")
    assert identification_risks("Lapsed vanuses 7–12 ootavad bussi kaua") == []
    assert identification_risks("Koolibuss väljub kell 7.") == []

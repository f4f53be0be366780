"""Personal data in comments masked (issue 24, "Comments beside ratings").

Tables of (comment, masked comment) for each kind, in Chinese and English; a table of
texts that must stay as they are; names; kinds=; missing values; the counts in attrs.
"""

import numpy as np
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.scales.masking import KINDS, _luhn, _nhs_valid
from survey_analysis.words import SurveyError


def mask(text, **options):
    return sa.mask_personal_data([text], **options).iloc[0]


MOBILES = [
    ("有事打13812345678找我", "有事打[phone]找我"),
    ("电话138 1234 5678", "电话[phone]"),
    ("电话：138-1234-5678。", "电话：[phone]。"),
    ("+8613912345678", "[phone]"),
    ("+86 139 1234 5678 随时联系", "[phone] 随时联系"),
    ("0086-19912345678", "[phone]"),
    ("手机15012345678，座机没人", "手机[phone]，座机没人"),
    ("call 13812345678 please", "call [phone] please"),
]

LANDLINES = [
    ("(010)12345678", "[phone]"),
    ("打（010）12345678问过", "打[phone]问过"),
    ("0571-8765432", "[phone]"),
    ("办公室021-12345678转801", "办公室[phone]"),
    ("021-12345678-801", "[phone]"),
    ("0755 87654321", "[phone]"),
    ("Tel (0571) 87654321 ext. 12", "Tel [phone]"),
    ("0571-87654321 x12，找王工", "[phone]，找王工"),
]

UK_PHONES = [
    ("Call me on 07700 900123.", "Call me on [phone]."),
    ("mobile 07700900123", "mobile [phone]"),
    ("+44 7700 900123", "[phone]"),
    ("ring +44 (0)20 7946 0958 anytime", "ring [phone] anytime"),
    ("the surgery on (020) 7946 0958", "the surgery on [phone]"),
    ("0161 496 0123", "[phone]"),
    ("01632 960123 is the desk", "[phone] is the desk"),
    ("0044 7700 900123", "[phone]"),
]

IDS = [
    ("身份证11010519491231002X", "身份证[id]"),
    ("身份证号：11010519491231002x。", "身份证号：[id]。"),
    ("ID 440524198001010013 on file", "ID [id] on file"),
    # A wrong check digit is still someone's number.
    ("身份证110105194912310021", "身份证[id]"),
    ("id 320102200002290014", "id [id]"),
]

NHS = [
    ("NHS number 943 476 5919", "NHS number [id]"),
    ("NHS no. 943-476-5919.", "NHS no. [id]."),
    ("nhs 9434765919", "nhs [id]"),
    ("my number 401 023 2137", "my number [id]"),
]

EMAILS = [
    ("邮箱wang.li@example.com，请回复", "邮箱[email]，请回复"),
    ("write to jo.smith+survey@mail.example.co.uk.", "write to [email]."),
    ("a_b-c@sub.domain.org.cn", "[email]"),
    ("联系 12345678@qq.com 谢谢", "联系 [email] 谢谢"),
]

CARDS = [
    ("卡号6225880123456783", "卡号[card]"),
    ("卡号 6225 8801 2345 6783 扣了两次", "卡号 [card] 扣了两次"),
    ("card 4111-1111-1111-1111", "card [card]"),
    ("银行卡6217000010012345677", "银行卡[card]"),
    ("6217 0000 1001 2345 677", "[card]"),
    ("card 622202123456789012.", "card [card]."),
]

PLATES = [
    ("车牌京A·12345被贴条", "车牌[plate]被贴条"),
    ("粤B D12345 停在门口", "[plate] 停在门口"),
    ("沪AD12345是新能源车", "[plate]是新能源车"),
    ("浙A12345，", "[plate]，"),
    ("川A 1234F", "[plate]"),
    ("教练车鲁A1234学", "教练车[plate]"),
    ("琼b12345", "[plate]"),
]


@pytest.mark.parametrize("text, expected", MOBILES + LANDLINES + UK_PHONES)
def test_phone_numbers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text, expected", IDS + NHS)
def test_identity_numbers(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text, expected", EMAILS)
def test_emails(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text, expected", CARDS)
def test_bank_cards(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text, expected", PLATES)
def test_licence_plates(text, expected):
    assert mask(text) == expected


UNCHANGED = [
    "2023-04-05 去办的", "2023年4月5日下午", "on 4/5/2023 at 14:30", "14:30到16:00",
    "交了¥1,234.56", "花了1234元", "paid £50 twice", "£1,234.50", "满意度98.5%", "100%满意",
    "3号楼2单元502室", "排队等了45分钟，前面有120人", "2019年到2023年", "1990-2023",
    "打12345没人接", "12345热线", "报警110，火警119，急救120", "国网95598", "call 999 or 111",
    "案件号A2023-0456", "编号20230405001", "受理单号 2023040512", "第13期",
    # Shaped like numbers of the patterns but not them:
    "12812345678",  # 12 is no mobile prefix
    "138123456789",  # 12 digits: part of a longer run
    "1381234567",  # 10 digits
    "110105199013074578",  # an 18-digit run whose "birth month" is 13 (and not Luhn-valid)
    "440524188001010015",  # born 1880: no ID of today (and not Luhn-valid)
    "6225880123456780",  # fails the Luhn check
    "9434765918",  # NHS-shaped, wrong check digit
    "87654321",  # a local number without its area code
    "京A1234",  # too short for a plate
    "北A12345",  # no province abbreviation
    "not an email @ all", "user@localhost",
    "",
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_text_that_is_not_personal_data_stays(text):
    assert mask(text) == text


def test_the_check_digit_helpers():
    assert _luhn("4111111111111111") and not _luhn("4111111111111112")
    assert _nhs_valid("9434765919") and not _nhs_valid("9434765918")
    # A fixed value of the examples above: their check digits are what the tables say.
    assert _luhn("6225880123456783") and _luhn("6217000010012345677") and _luhn("622202123456789012")
    assert not _luhn("110105199013074578") and not _luhn("6225880123456780")
    assert not _luhn("440524188001010015")


def test_names_are_masked_in_full():
    texts = ["张伟说窗口的李娜态度很好", "Thanks to Mary Jones and mary jones", "没有名字"]
    masked = sa.mask_personal_data(texts, names=pd.Series(["张伟", "李娜", "Mary Jones", np.nan]))
    assert masked.tolist() == ["[name]说窗口的[name]态度很好", "Thanks to [name] and [name]", "没有名字"]
    assert masked.attrs["masked"]["name"] == 4


def test_names_masked_or_of_one_character_are_ignored():
    text = "王先生说张**的事，李也在"
    assert mask(text, names=["张**", "李", "王××", "刘＊＊"]) == text


def test_latin_names_are_whole_words_and_chinese_names_are_not():
    # The trade-off: a Chinese name has no word boundaries, so it is masked inside a word.
    assert mask("Ann filed the annual report in Annapolis", names=["Ann"]) == \
        "[name] filed the annual report in Annapolis"
    assert mask("王府在王府井", names=["王府"]) == "[name]在[name]井"


def test_the_longest_name_is_masked_first():
    assert mask("欧阳娜娜和欧阳来过", names=["欧阳", "欧阳娜娜"]) == "[name]和[name]来过"


def test_a_name_is_never_found_inside_a_placeholder():
    assert mask("call 13812345678", names=["phone", "call"]) == "[name] [phone]"


def test_kinds_chooses_what_is_masked():
    text = "张伟 13812345678 wang@example.com 京A12345"
    assert mask(text, names=["张伟"], kinds=["phone"]) == "张伟 [phone] wang@example.com 京A12345"
    assert mask(text, names=["张伟"], kinds="email") == "张伟 13812345678 [email] 京A12345"
    assert mask(text, names=["张伟"], kinds=("name", "plate")) == "[name] 13812345678 wang@example.com [plate]"
    assert mask(text, names=["张伟"], kinds=[]) == text
    masked = sa.mask_personal_data([text], kinds=["phone", "plate"])
    assert masked.attrs["masked"] == {"phone": 1, "plate": 1}


def test_an_id_card_or_nhs_number_is_not_taken_for_a_phone():
    assert mask("11010519491231002X", kinds=["phone"]) == "11010519491231002X"
    assert mask("6225880123456783", kinds=["phone", "id"]) == "6225880123456783"
    assert mask("07700 900123", kinds=["id"]) == "07700 900123"


@pytest.mark.parametrize("kinds", [["phone", "address"], "phones", ["PHONE"]])
def test_unknown_kinds_are_refused_naming_the_allowed_ones(kinds):
    with pytest.raises(SurveyError, match="unknown kinds") as info:
        sa.mask_personal_data(["x"], kinds=kinds)
    assert info.value.code == "choice.unknown"
    assert all(repr(kind) in str(info.value) for kind in KINDS)
    assert "未知的 kinds" in info.value.render("zh")


def test_missing_values_stay_missing_and_the_index_is_kept():
    texts = pd.Series(["电话13812345678", np.nan, None, "好"], index=[10, 20, 30, 40], name="意见")
    masked = sa.mask_personal_data(texts)
    assert masked.index.tolist() == [10, 20, 30, 40] and masked.name == "意见"
    assert masked.iloc[0] == "电话[phone]" and masked.iloc[3] == "好"
    assert masked.iloc[1:3].isna().all()
    assert texts.iloc[0] == "电话13812345678"  # the input is not changed


def test_all_missing_and_empty_inputs():
    assert sa.mask_personal_data(pd.Series([np.nan, np.nan])).isna().all()
    empty = sa.mask_personal_data([])
    assert empty.empty and empty.attrs["masked"] == dict.fromkeys(KINDS, 0)


def test_string_dtype_is_kept():
    texts = pd.Series(["tel 13812345678", pd.NA], dtype="string")
    masked = sa.mask_personal_data(texts)
    assert masked.dtype == "string" and masked.iloc[0] == "tel [phone]" and pd.isna(masked.iloc[1])


def test_a_number_cell_is_masked_as_its_text():
    masked = sa.mask_personal_data(pd.Series([13812345678, "好", np.nan], dtype=object))
    assert masked.iloc[0] == "[phone]" and masked.iloc[1] == "好" and pd.isna(masked.iloc[2])


def test_counts_per_kind_in_attrs():
    texts = ["13812345678 或 010-12345678", "京A12345, a@b.cn", "卡6225880123456783 身份证11010519491231002X",
             "NHS 943 476 5919", "已有的 [phone] 不算", np.nan]
    masked = sa.mask_personal_data(texts, names=["张三"])
    assert masked.attrs["masked"] == {"email": 1, "id": 2, "card": 1, "phone": 2, "plate": 1, "name": 0}
    assert masked.iloc[4] == "已有的 [phone] 不算"


def test_attrs_of_the_input_are_kept():
    texts = pd.Series(["13812345678"])
    texts.attrs["source"] = "sheet 1"
    masked = sa.mask_personal_data(texts)
    assert masked.attrs["source"] == "sheet 1" and "masked" not in texts.attrs


def test_one_string_gives_one_masked_string():
    # Reason: a str is iterable; it must not be masked character by character.
    assert sa.mask_personal_data("电话13812345678") == "电话[phone]"
    assert sa.mask_personal_data("拨打12345热线") == "拨打12345热线"

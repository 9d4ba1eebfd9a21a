"""Phrasings that government work reports share, as compiled patterns.

All patterns run on normalized text (full-width ASCII folded: ，→, （→( ：→: ！→!),
one paragraph per line.
"""
import re

from .. import vocab as V
from ..vocab import NUM, YEAR

# 2024年新郑市政府工作报告 / 政府工作报告 / 陕西省2026年政府工作报告 / 2026年四川省人民政府工作报告
# a bracketed alternate name may follow the government's: 青岛市黄岛区(西海岸新区)政府工作报告
TITLE = re.compile(
    rf"^[(\[【]?(?P<pre>{YEAR}年)?(?P<region>(?:[\u4e00-\u9fff]{{0,20}}?(?:省|市|区|县|州|盟|旗)|{V.alt('national_government')})?)"
    rf"(?:[(（](?P<alias>[\u4e00-\u9fff]{{2,12}})[)）])?(?P<post>{YEAR}年)?"
    r"(?:人民)?政府工作报告(?:[(（][^)）]{0,60}[)）])?[)\]】]?$")
DATE = re.compile(rf"(?P<year>{YEAR})\s*年\s*(?P<month>{NUM})\s*月\s*(?P<day>{NUM})\s*日")
_DATE = rf"{YEAR}\s*年\s*{NUM}\s*月\s*{NUM}\s*日"
# the session a report is delivered to: 第十六届人民代表大会第四次会议, the short form
# 十六届人大四次会议, the NPC (第十四届全国人民代表大会). The dateline around it
# (——2026年1月25日在北京市第十六届…会议上) may wrap or stand in brackets; its date may
# follow 在 (在2021年12月9日X市第三届…), stand after the session in brackets, or stand
# alone with the session's adoption (2015年2月13日沈阳市…会议通过).
CONGRESS = re.compile(rf"(?:第\s*)?(?P<term>{NUM})\s*届\s*(?:(?P<national>{V.alt('national_congress')})|人民代表大会|人大)\s*"
                      rf"(?:第\s*)?(?P<session>{NUM})\s*次(?:全体)?\s*会议")
# (2023年1月10日) and (2005年1月25日 王珉): a date line, perhaps with the speaker's name
DATE_LINE = re.compile(rf"^[(（]?{DATE.pattern}\s*(?P<name>[\u4e00-\u9fff·\s]{{0,16}})[)）]?$")
# a line that opens with a dateline; a ? stands for a dash or bracket a copy's conversion lost
DATELINE_START = re.compile(rf"^[(\[【—\-?\s]*(?:{_DATE}\s*(?:在\s*)?|在\s*(?:{_DATE})?)[^\n]{{0,30}}?"
                            r"(?:人民代表大会|人大)")
SPEAKER = re.compile(
    rf"(?P<office>(?:人民政府)?(?:代理?)?{V.alt('office')})\s*(?:同志)?\s*:?\s*"
    r"(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff·]{1,12})")
# where a speaker's name ends: a preposition or verb after it (市长赵刚在…, 省长毛伟明作…),
# not its first character (向诗兵, 于伟, 作为 is no name anyway)
SPEAKER_STOP = re.compile(r"(?:(?!^)(?:在|作|向|于)|同志|代表|各位|\d).*$")
OPENING = re.compile(rf"{V.alt('address')}\s*[:!,]?\s*\n?\s*(?:现在\s*,?\s*)?(?:我(?:代表|受)|受[^\n]{{0,10}}委托)")
# The speech's first words: the address at the start of a line (各位代表: / 各位代表,同志们: /
# a copy that lost the first character, 位代表:), perhaps after the speaker's name (代市长
# 李晓波各位代表:); it is the opening when the report is put to the congress soon after
# (现在,我代表市人民政府向大会报告工作,请予审议), even after a sentence or two of
# preamble (本届政府任期已满。现在,…). OPENING_WINDOW characters are searched.
# the address, or the address with its first character lost (位代表:)
_ADDRESS_OR_CUT = "|".join(sorted({w for a in V.words("address") for w in (a, a[1:])}, key=len, reverse=True))
ADDRESS_LINE = re.compile(rf"^(?:(?:代理?)?{V.alt('office')}\s*[\u4e00-\u9fff·]{{2,8}}?\s*)?(?:{_ADDRESS_OR_CUT})"
                          r"(?:\s*[,、]\s*(?:各位)?同志们?)?\s*[:!,]?")
SUBMITS_REPORT = re.compile(r"向[^\n,。]{0,24}?(?:大会|会议)[^\n,。]{0,8}?(?:作|报告|提交)|报告(?:政府)?工作"
                            r"|[作做](?:政府)?工作报告|向各位代表(?:报告|汇报)"
                            r"|请予审[议查]|请(?:各位)?代表(?:们)?审[议查]")
OPENING_WINDOW = 300
# a people's congress resolution on the report (…会议听取和审议了…政府工作报告…会议同意…)
RESOLUTION = re.compile(r"听取(?:和|并)?审议[^。]{0,40}?(?:政府)?工作报告|关于[^\n]{0,20}政府工作报告的决议")
REPRESENT = re.compile(r"我代表(?P<who>[\u4e00-\u9fff]{0,20}?)(?:人民)?政府")
JUMP_FROM = re.compile(rf"^[(]上接(?:第?{NUM}版|[^)]{{1,8}}版)[)]")   # (上接二版)
JUMP_TO = re.compile(rf"[(]下转(?:第?{NUM}版|[^)]{{1,8}}版)[)]$")
TRUNCATION = re.compile(rf"{V.alt('truncation')}|登录后.{{0,10}}(?:阅读|查看)")
TOC_HEADING = re.compile(r"^目\s*录$")
TOC_ENTRY = re.compile(r"^(?P<title>.{2,60}?)[\s.…·—-]{2,}\s*(?P<page>\d{1,4})$|^(?P<title2>.{2,60}?)\s+(?P<page2>\d{1,4})$")

# the lead of the main-targets statement: 今年经济社会发展的主要预期目标是: / 主要目标建议为: /
# 预期性指标是 / 主要调控目标 / 奋斗目标 (the colon or comma after it, if any, in ``punct``)
MAIN_TARGETS = re.compile(
    rf"(?:{V.alt('target_qualifier')})[\u4e00-\u9fff、和与及的]{{0,10}}(?:{V.alt('target_noun')})(?:任务)?"
    rf"(?:的?(?:{V.alt('target_intro_verb')})(?:安排)?)?\s*(?:{V.alt('copula')}|定为)?\s*(?P<punct>[:,])?")
# words that make a target or a heading span several years
FIVE_YEAR = re.compile(rf"十[一二三四五六七八九]五|{V.alt('five_year_word')}|到20\d\d年|20\d\d年前|20\d\d\s*[—-]\s*20\d\d")

# Lines that belong to page furniture rather than to any report.
CHROME_LINE = re.compile(rf"^{V.alt('chrome_line')}")
URL = re.compile(r"https?://|www\.[a-z0-9-]+\.")

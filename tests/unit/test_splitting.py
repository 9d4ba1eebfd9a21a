from gwrkit.pipeline import parse_text
from tests.helpers import report_text

OPENING = "各位代表：\n现在，我代表{who}人民政府向大会报告工作，请予审议。\n"
BODY = ("一、2022年工作回顾\n过去一年，全{lvl}经济稳中向好，地区生产总值增长6%，一般公共预算收入增长5%。"
        "我们扎实推进重点项目建设，新开工项目97个、竣工112个，{name}城市面貌焕然一新。\n"
        "我们持续保障和改善民生，城镇新增就业1.2万人，新改建学校8所，城乡居民收入稳步增长，社会大局和谐稳定。\n"
        "二、2023年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长6.5%左右。"
        "加快推进产业转型升级，深入实施创新驱动发展战略，持续优化营商环境。"
        "扎实推进乡村振兴，加快补齐基础设施短板，全力办好民生实事，守牢安全发展底线。\n"
        "各位代表！让我们团结一心，为建设现代化{name}而努力奋斗！\n")


MORE = ("深入实施乡村振兴战略。严格落实耕地保护制度，新建高标准农田5万亩，推进农村人居环境整治提升，"
        "培育壮大特色产业，促进农民持续增收，建设宜居宜业和美乡村。\n")


def test_single_report_with_site_chrome_around_it():
    text = "首页 > 政务公开\n来源：某某日报\n" + report_text() + "相关报道：\n打印本页\n"
    doc = parse_text(text)
    assert len(doc.reports) == 1
    r = doc.reports[0]
    assert text[r.start:].startswith("2026年江门市政府工作报告")
    assert text[:r.end].endswith("奋力谱写新篇章！")
    chrome = [doc.original_text(s.start, s.end) for s in doc.segments]
    assert chrome == ["首页 > 政务公开\n来源：某某日报", "相关报道：\n打印本页"]


def test_compilation_of_reports_that_only_open_with_gewei_daibiao():
    parts = [("县", "甲", "县"), ("市", "乙", "市"), ("区", "丙", "区")]
    text = "2023年政府工作报告汇编（3篇）\n2023-03-14 06:36:11\n" + "".join(
        OPENING.format(who=who) + BODY.format(lvl=lvl, name=name) for who, name, lvl in parts)
    doc = parse_text(text)
    assert len(doc.reports) == 3
    for r in doc.reports:
        assert text[r.start:r.start + 5] == "各位代表："
        assert text[:r.end].endswith("而努力奋斗！")
    assert doc.original_text(doc.segments[0].start, doc.segments[0].end).startswith("2023年政府工作报告汇编")


def test_compilation_with_table_of_contents_and_titles():
    toc = "目  录\n江门市政府工作报告……………1\n韶关市政府工作报告……………9\n"
    text = toc + report_text("江门市") + report_text("韶关市", speaker="李大华")
    doc = parse_text(text)
    assert [r.metadata.region for r in doc.reports] == ["江门市", "韶关市"]
    assert [s.kind for s in doc.segments] == ["toc"]
    assert text[doc.reports[1].start:].startswith("2026年韶关市政府工作报告")


def test_header_block_with_a_page_title_above_the_report_title():
    text = ("2026年江门市政府工作报告\n发布时间：\n2026-02-09 09:45:30\n阅读量：\n【字体：\n小\n中\n大\n】\n"
            + report_text(title="政府工作报告"))
    r, = parse_text(text).reports
    assert r.start == 0 and r.metadata.title_year == 2026


def test_newspaper_page_starting_mid_report_with_a_foreign_article_inside():
    text = ("政府工作报告\n——2021年1月30日在江门市第十五届人民代表大会第四次会议上\n"
            "（上接二版）优化产业承接平台。强化四大功能区作用，推进产业集聚区二次创业，支持龙头企业领办特色园区，打造产业集群。"
            "加快建设现代化产业体系，持续优化营商环境，确保重点项目按期投产，力争全年新增规上企业100家。\n"
            "扎实推进生态文明建设。全面推进国土绿化，持续深化河长制，加快实施重点水利工程，确保饮用水源水质达标。主要\n"
            "（上接一版）省领导通过手机能够看到网友留言。\n"
            "省委办公厅有关负责人介绍：“平台已经成为联系群众的主要渠道。”\n"
            "更精准，切实解决群众烦心事\n"
            "某县群众反映办事难，收到留言后，当地立即整改。当事人表示满意。\n"
            "设。开放运营博物馆新馆，加快建设一批小剧场，提升公共文化服务水平，推进文化惠民工程全面覆盖。\n"
            "持续提升住房保障服务水平，加强青年人才公寓建设，确保年底前完工3098套，促进房地产市场平稳健康发展。\n"
            + MORE)
    r, = parse_text(text).reports
    assert r.partial == ["no opening (各位代表…) before the body: starts mid-text or abridged"]
    foreign, = r.excluded
    doc_text = text
    a, b = parse_text(text).original_span(foreign.start, foreign.end)
    assert doc_text[a:b].startswith("（上接一版）") and doc_text[a:b].endswith("当事人表示满意。")
    assert r.metadata.region == "江门市" and r.metadata.plan_year == 2021 and r.metadata.review_year is None


def test_a_teaser_repeating_a_reports_first_line_is_not_a_report():
    text = report_text() + "解读政府工作报告\n打印本页\n2026年江门市政府工作报告\n各位代表：现在，我代表市人民政府，向大会报告工作，请予审议。\n"
    doc = parse_text(text)
    assert len(doc.reports) == 1
    assert doc.segments[-1].kind == "fragment"


def test_report_cut_off_by_a_read_more_link_is_partial():
    text = OPENING.format(who="县") + BODY.format(lvl="县", name="甲县").rsplit("各位代表", 1)[0] + MORE \
        + "阅读全文\n（想阅读完全部图文内容，您需要先登陆！）\n"
    r, = parse_text(text).reports
    assert any(reason.startswith("ends mid-text") for reason in r.partial)
    assert not text[:r.end].endswith("登陆！）")


def test_text_without_a_report_gives_a_warning_not_an_error():
    doc = parse_text("这是一篇普通新闻。记者今天从有关部门获悉，本市将举办文化节。")
    assert doc.reports == [] and doc.warnings == ["no government work report found in the text"]


def test_pdf_compilation_with_contents_running_headers_and_wrapped_lines(tmp_path):
    from gwrkit.pipeline import parse_file
    from tests.helpers import pdf_compilation

    def long_report(place, speaker):
        return report_text(place, speaker=speaker).replace("三、加强政府自身建设", MORE * 6 + "三、加强政府自身建设")

    pdf = tmp_path / "compilation.pdf"
    pdf.write_bytes(pdf_compilation([long_report("江门市", "王小明"), long_report("韶关市", "李大华")]))
    doc = parse_file(pdf)
    assert [(r.metadata.region, r.metadata.speaker, r.metadata.delivered_on, r.metadata.plan_year)
            for r in doc.reports] == [("江门市", "王小明", "2026-01-20", 2026), ("韶关市", "李大华", "2026-01-20", 2026)]
    # the compilation's title is kept once, before its table of contents
    assert [(s.kind, doc.original_text(s.start, s.end)) for s in doc.segments][0] == ("chrome", "2023年政府工作报告汇编")
    assert [s.kind for s in doc.segments] == ["chrome", "toc"]
    assert doc.source.text[doc.reports[1].start:].startswith("2026年韶关市政府工作报告")
    # lines wrapped at the page width are whole paragraphs again; the running header is gone
    assert "请予审议,并请各位政协委员提出意见。" in doc.norm.text
    assert doc.norm.text.count("2023年政府工作报告汇编") == 1
    assert [s.title for s in doc.reports[0].outline.sections][:2] == ["一、2025年工作回顾", "(一)产业转型持续推进。"]


def test_compilation_of_abridged_reports_with_only_title_lines():
    def abridged(place, speaker):
        body = report_text(place, speaker=speaker).split("一、", 1)[1].replace("各位代表！让我们", "让我们")
        return f"{place}政府工作报告（摘要）\n一、" + body + MORE

    text = "2023年政府工作报告摘要汇编\n" + abridged("江门市", "王小明") + abridged("韶关市", "李大华")
    doc = parse_text(text)
    assert [(r.metadata.region, r.metadata.plan_year) for r in doc.reports] == [("江门市", 2026), ("韶关市", 2026)]
    assert text[doc.reports[1].start:].startswith("韶关市政府工作报告（摘要）")
    assert all("abridged" in r.partial[0] for r in doc.reports)


def test_pdf_whose_running_header_is_the_reports_own_title(tmp_path):
    from gwrkit.pipeline import parse_file
    from tests.helpers import pdf_compilation

    long_report = report_text("江门市", title="政府工作报告").replace("三、加强政府自身建设", MORE * 40 + "三、加强政府自身建设")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(pdf_compilation([long_report], title="政府工作报告", contents=False))
    r, = parse_file(pdf).reports
    assert r.begins_with.startswith("政府工作报告")       # the title line itself is kept once
    assert parse_file(pdf).norm.text.count("政府工作报告\n") == 1
    assert (r.metadata.region, r.metadata.delivered_on) == ("江门市", "2026-01-20")

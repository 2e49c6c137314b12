"""Gripniveau: the rubric with the self-assessment, measured KPIs, scores and levels per topic,
the grip score and level, a radar chart, the development agenda and the route map.

Blocks, top to bottom (named ranges in ``workbooks.layout``):

1. settings (limits for waakzaam / in controle, share of the KPIs, start quarter, capacity);
2. overview of the nine topics: weight (input), measured KPI score (``SD_GRIPKPISCORES``),
   score (``SD_GRIPONDERWERPSCORES``), level (``SD_GRIPNIVEAUS``); the grip score and level
   (``SD_GRIPSCORE``, ``SD_GRIPNIVEAU``); a radar chart of the topic scores;
3. the measured KPIs, the output table ``grip_uit_gripniveau`` that the button
   "Gripniveau bijwerken" fills (``grip.jobs.gripniveau.run_button``); from
   ``ctx.data["gripniveau"]`` when the build has it, else empty with a Dutch hint;
4. the rubric: per criterion the three level descriptions, the self-assessment dropdown,
   evidence and owner;
5. the development agenda (``SD_GRIPAGENDA``);
6. the route map catalogue.

``ctx.data["gripniveau"]`` is a ``calc.grip_level.kpis.KpiMeasurement`` or a mapping with
``"kpis"`` (a KpiMeasurement) and/or ``"zelfbeoordeling"`` (criterion id → Level or None).
Without a self-assessment the demo municipality's is filled in for Gemeente Voorbeeld and
the dropdowns stay empty for any other municipality.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import RadarChart, Reference
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from addin.udfs.gripniveau import AGENDA_HEADER
from calc import profile
from calc.grip_level.kpis import DEFAULT_KPIS, KpiMeasurement
from calc.grip_level.routemap import load_catalogue
from calc.grip_level.rubric import NOT_APPLICABLE, GripSettings, Level, demo_assessment, load_rubric
from workbooks import fit, layout, style
from workbooks.context import BuildContext, put_formula
from workbooks.tables.gripniveau import KPI_TABLE_HEADER, kpi_table

RED = PatternFill("solid", fgColor="F4B6B6")
ORANGE = PatternFill("solid", fgColor="FFD699")
GREEN = PatternFill("solid", fgColor="B7E1B0")
SECTION = Font(name="Calibri", size=13, bold=True, color="1F3864")
WRAP = Alignment(wrap_text=True, vertical="top")
DEMO_MUNICIPALITY = profile.NAME
#: What the grip score and level say before any criterion is scored or KPI measured.
NOT_ASSESSED = "nog geen zelfbeoordeling"
#: ... and before every topic has a score (measured KPIs, but no complete self-assessment).
NOT_COMPLETE = "nog geen totaaloordeel: vul de zelfbeoordeling aan"
#: Column widths of the sheet (the overview, KPI table, rubric, agenda and route map share them).
#: A:I together fit one printed page at the smallest scale (``printing.MIN_SCALE``), so each of
#: these tables prints whole across (they were 1.220 points wide: the KPI table's limits and the
#: agenda's Gereed printed on pages of their own, without the names they belong to); long texts
#: wrap. J is only the KPI table's Toelichting, on a page of its own when there is one.
WIDTHS = {1: 22, 2: 22, 3: 23, 4: 24, 5: 26, 6: 24, 7: 16, 8: 13, 9: 13, 10: 46}
NO_KPI = "geen gemeten KPI: score uit de zelfbeoordeling"
HINT_NO_KPIS = ("Nog geen gemeten KPI's: kies op het tabblad Grip de knop 'Gripniveau bijwerken' "
                "(leest de opslag van het berichtenverkeer). Tot dan telt alleen de zelfbeoordeling.")
OPERATIONALISATION = ("Let op: dit is een eigen uitwerking van Grip (rubriek versie {version}). De "
                      "indeling in drie niveaus en negen onderwerpen is geïnspireerd op de "
                      "Gemeentelijke Gripniveau Routekaart; de criteria van dat origineel zijn niet "
                      "openbaar en dit zijn ze niet.")


def _sheet_data(ctx: BuildContext) -> tuple[KpiMeasurement | None, Mapping[str, Level | None]]:
    data: Any = ctx.data.get("gripniveau")
    kpis = data if isinstance(data, KpiMeasurement) else None
    assessment = None
    if isinstance(data, Mapping):
        kpis = data.get("kpis")
        assessment = data.get("zelfbeoordeling")
    if assessment is None:
        assessment = demo_assessment() if ctx.municipality == DEMO_MUNICIPALITY else {}
    return kpis, assessment


def _section(ws, row: int, text: str) -> None:
    ws.cell(row=row, column=1, value=text).font = SECTION


def _level_colours(ws, ref: str) -> None:
    """Rood / oranje / groen for the three level words."""
    for word, fill in (("ernstig", RED), ("waakzaam", ORANGE), ("in controle", GREEN)):
        ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{word}"'],
                                                      fill=fill))


def build(wb: Workbook, ctx: BuildContext) -> None:
    """Create the Gripniveau sheet."""
    ws = wb.create_sheet(layout.GRIPNIVEAU)
    rubric = load_rubric()
    settings = GripSettings()
    kpis, assessment = _sheet_data(ctx)
    style.title(ws, "Gripniveau",
                "Hoeveel grip heeft de gemeente op het sociaal domein: ernstig, waakzaam of in controle.")
    ws["A3"] = OPERATIONALISATION.format(version=rubric.version)
    ws["A3"].font = style.SUBTITLE

    # 1. settings -------------------------------------------------------------------------
    _section(ws, 5, "Instellingen")
    labels = ("Grens waakzaam (score vanaf)", "Grens in controle (score vanaf)",
              "Aandeel gemeten KPI's in de onderwerpscore", "Eerste kwartaal van de agenda",
              "Maatregelen die per kwartaal kunnen starten",
              "Financiële opgave per jaar uit de meerjarenraming (tekort positief)")
    values = (settings.waakzaam_from, settings.in_controle_from, settings.kpi_weight,
              f"{ctx.budget_year}-K1", 3, None)
    formats = (style.NUMBER, style.NUMBER, style.PERCENT, None, style.NUMBER, style.EURO)
    for k, (label, value, fmt) in enumerate(zip(labels, values, formats)):
        r = 6 + k
        # wrapped in its column: the last label ran over its empty input cell
        ws.cell(row=r, column=2, value=label).alignment = WRAP
        if isinstance(value, str):
            style.write_data(ws, f"C{r}", value)
        else:
            ws[f"C{r}"] = value
        style.mark_input([ws[f"C{r}"]], number_format=fmt)
    limits, kpi_weight, start_q, per_q = "C6:C7", "C8", "C9", "C10"
    style.define_name(wb, layout.NAME_GN_LIMITS, ws, limits)
    style.define_name(wb, layout.NAME_GN_KPI_WEIGHT, ws, kpi_weight)
    style.define_name(wb, layout.NAME_GN_START_QUARTER, ws, start_q)
    style.define_name(wb, layout.NAME_GN_PER_QUARTER, ws, per_q)
    style.define_name(wb, layout.NAME_GN_CHALLENGE, ws, "C11")

    # row positions of the later blocks (the overview refers to them)
    top = 14                                   # overview header
    kpi_top = top + 9 + 7                      # KPI table header (after totals and the rule)
    rubric_top = kpi_top + layout.GN_KPI_ROWS + 3
    criteria = rubric.criteria()
    agenda_top = rubric_top + len(criteria) + 3
    catalogue_top = agenda_top + layout.GN_AGENDA_ROWS + 3

    kpi_topics = style.area(kpi_top + 1, 2, layout.GN_KPI_ROWS, 1)
    kpi_scores = style.area(kpi_top + 1, 7, layout.GN_KPI_ROWS, 1)
    crit_ids = style.area(rubric_top + 1, 1, len(criteria), 1)
    crit_levels = style.area(rubric_top + 1, 7, len(criteria), 1)

    # 2. overview ------------------------------------------------------------------------
    _section(ws, top - 1, "Overzicht per onderwerp")
    style.header_row(ws, top, 1, ["Nr", "Onderwerp", "Gewicht", "Gemeten KPI's (score)",
                                  "Score (0-100)", "Niveau"])
    for k, topic in enumerate(rubric.topics):
        r = top + 1 + k
        ws.cell(row=r, column=1, value=topic.number)
        style.write_data(ws, f"B{r}", topic.name)
        ws.cell(row=r, column=3, value=settings.topic_weights[k])
    weights = style.area(top + 1, 3, 9, 1)
    kpi_col = style.area(top + 1, 4, 9, 1)
    scores = style.area(top + 1, 5, 9, 1)
    levels = style.area(top + 1, 6, 9, 1)
    style.mark_input((c for row in ws[weights] for c in row), number_format="0.0")
    put_formula(ws, ctx, kpi_col, f"=SD_GRIPKPISCORES({kpi_topics},{kpi_scores})")
    put_formula(ws, ctx, scores,
                f"=SD_GRIPONDERWERPSCORES({crit_ids},{crit_levels},{kpi_col},{kpi_weight})")
    put_formula(ws, ctx, levels, f"=SD_GRIPNIVEAUS({scores},{limits})")
    style.mark_output((c for row in ws[kpi_col] for c in row), number_format="0.0")
    # a topic without measured KPIs says so instead of showing an empty cell
    style.header_row(ws, top, 7, ["Opmerking"])
    for k in range(9):
        r = top + 1 + k
        put_formula(ws, ctx, f"G{r}", f'=IF(ISNUMBER(D{r}),"","{NO_KPI}")')
        style.mark_output([ws[f"G{r}"]])
        ws[f"G{r}"].alignment = WRAP      # in its column: it ran past the printed page's edge
    style.mark_output((c for row in ws[scores] for c in row), number_format="0.0")
    style.mark_output((c for row in ws[levels] for c in row))
    total = top + 11
    ws.cell(row=total, column=2, value="Gripscore (0-100)").font = Font(name="Calibri", bold=True)
    ws.cell(row=total + 1, column=2, value="Gripniveau").font = Font(name="Calibri", bold=True)
    grip_score_ref, grip_level_ref = f"E{total}", f"E{total + 1}"
    # a new model has no self-assessment yet, or measured KPIs score only some topics: say so
    # instead of a #INVOER message (also on the Samenvatting, which shows these two cells);
    # but a message in the topic scores (a typed 'goed') is passed on: 'nog geen
    # zelfbeoordeling' would be untrue for a filled-in assessment with one typo
    empty = (f'IF(COUNTIF({scores},"#*"),INDEX({scores},MATCH("#*",{scores},0)),'
             f'IF(COUNT({scores})=0,"{NOT_ASSESSED}",'
             f'IF(COUNT({scores})<{len(rubric.topics)},"{NOT_COMPLETE}",')
    put_formula(ws, ctx, grip_score_ref, f"={empty}SD_GRIPSCORE({scores},{weights},{limits}))))")
    put_formula(ws, ctx, grip_level_ref, f"={empty}SD_GRIPNIVEAU({scores},{weights},{limits}))))")
    style.mark_output([ws[grip_score_ref]], number_format="0.0")
    style.mark_output([ws[grip_level_ref]])
    ws[grip_level_ref].font = Font(name="Calibri", bold=True)
    ws.cell(row=total + 2, column=2,
            value="Regel: gripscore = gewogen gemiddelde van de onderwerpscores. Ernstig bij een "
                  "gripscore onder de grens voor waakzaam of bij 3 of meer onderwerpen ernstig; in "
                  "controle bij een gripscore vanaf de grens voor in controle zonder onderwerp "
                  "ernstig; anders waakzaam.").font = style.SUBTITLE
    _level_colours(ws, f"{levels} {grip_level_ref}")
    for name, ref in ((layout.NAME_GN_TOPICS, style.area(top + 1, 2, 9, 1)),
                      (layout.NAME_GN_WEIGHTS, weights), (layout.NAME_GN_KPI_SCORES, kpi_col),
                      (layout.NAME_GN_SCORES, scores), (layout.NAME_GN_LEVELS, levels),
                      (layout.NAME_GN_GRIP_SCORE, grip_score_ref),
                      (layout.NAME_GN_GRIP_LEVEL, grip_level_ref)):
        style.define_name(wb, name, ws, ref)

    chart = RadarChart()
    chart.type = "marker"
    chart.title = "Score per onderwerp"
    chart.style = 26
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.add_data(Reference(ws, min_col=5, min_row=top, max_row=top + 9), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=top + 1, max_row=top + 9))
    # beside the settings (B:C), within the columns A:I that print on one page and above the
    # overview's title, so a page may start there (8,5 cm: rows 5-12 are about 9 cm high)
    chart.height, chart.width = 8.5, 14
    ws.add_chart(chart, f"E{top - 9}")

    # 3. measured KPIs -------------------------------------------------------------------
    _section(ws, kpi_top - 1, "Gemeten KPI's uit het berichtenverkeer")
    style.header_row(ws, kpi_top, 1, list(KPI_TABLE_HEADER))
    out = style.area(kpi_top + 1, 1, layout.GN_KPI_ROWS, len(KPI_TABLE_HEADER))
    rows = kpi_table(kpis.results if kpis is not None else None)
    if kpis is None:
        ws.cell(row=kpi_top - 1, column=4, value=HINT_NO_KPIS).font = style.SUBTITLE
    for i in range(layout.GN_KPI_ROWS):
        r = kpi_top + 1 + i
        for j, value in enumerate(rows[i]):
            style.write_data(ws, ws.cell(row=r, column=1 + j).coordinate, value)
        unit = DEFAULT_KPIS[i].unit if i < len(DEFAULT_KPIS) else "%"
        for col in (4, 8, 9):
            ws.cell(row=r, column=col).number_format = style.PERCENT if unit == "%" else "0.0"
        ws.cell(row=r, column=7).number_format = "0.0"
        ws.cell(row=r, column=10).alignment = WRAP     # the Toelichting: a sentence or two
        # the KPI's name: up to 46 wide ('Aandeel bedrag meer dan 3 maanden laat
        # gedeclareerd') in column A of 26; the button writes it, so wrap before it comes
        ws.cell(row=r, column=1).alignment = WRAP
    style.mark_output((c for row in ws[out] for c in row))
    if ctx.values_only:       # a copy of KPIs without any note prints no empty column for them
        fit.omit_when_empty(ws, style.area(kpi_top + 1, 10, layout.GN_KPI_ROWS, 1),
                            style.area(kpi_top, 10, 1, 1))
    _level_colours(ws, style.area(kpi_top + 1, 6, layout.GN_KPI_ROWS, 1))
    style.define_name(wb, layout.NAME_OUT_GRIPNIVEAU, ws, out)

    # 4. rubric and self-assessment ------------------------------------------------------
    _section(ws, rubric_top - 1, "Rubriek en zelfbeoordeling")
    style.header_row(ws, rubric_top, 1, ["Nr", "Onderwerp", "Criterium", "Ernstig", "Waakzaam",
                                         "In controle", "Zelfbeoordeling", "Onderbouwing",
                                         "Eigenaar"])
    names = rubric.topic_names()
    for i, c in enumerate(criteria):
        r = rubric_top + 1 + i
        level = assessment.get(c.id)
        cells = (c.id, names[c.topic - 1], c.name, c.ernstig, c.waakzaam, c.in_controle,
                 level.value if level is not None else (NOT_APPLICABLE if c.id in assessment else None))
        for j, value in enumerate(cells):
            style.write_data(ws, ws.cell(row=r, column=1 + j).coordinate, value)
            ws.cell(row=r, column=1 + j).alignment = WRAP
    style.mark_input(c for row in ws[crit_levels] for c in row)
    evidence = style.area(rubric_top + 1, 8, len(criteria), 2)     # Onderbouwing, Eigenaar
    style.mark_input(c for row in ws[evidence] for c in row)
    if ctx.values_only:
        # the copy to share prints them only when someone filled them (else pages of empty
        # yellow boxes: the rubric is long)
        fit.omit_when_empty(ws, evidence, style.area(rubric_top, 8, 1, 2))
    dropdown = DataValidation(type="list", allow_blank=True,
                              formula1=f'"{",".join([*(lv.value for lv in Level), NOT_APPLICABLE])}"',
                              showErrorMessage=True, errorTitle="Geen niveau",
                              error="Kies ernstig, waakzaam, in controle of n.v.t.",
                              promptTitle="Zelfbeoordeling",
                              prompt="Welke beschrijving past het best bij de gemeente nu?")
    ws.add_data_validation(dropdown)
    dropdown.add(crit_levels)
    _level_colours(ws, crit_levels)
    style.define_name(wb, layout.NAME_GN_CRITERIA, ws, crit_ids)
    style.define_name(wb, layout.NAME_GN_ASSESSMENT, ws, crit_levels)

    # 5. development agenda --------------------------------------------------------------
    _section(ws, agenda_top - 1, "Ontwikkelagenda: van het huidige niveau naar het volgende")
    style.header_row(ws, agenda_top, 1, list(AGENDA_HEADER))
    agenda = style.area(agenda_top + 1, 1, layout.GN_AGENDA_ROWS, len(AGENDA_HEADER))
    put_formula(ws, ctx, agenda, f"=SD_GRIPAGENDA({scores},{start_q},{per_q},"
                                 f"{layout.GN_AGENDA_ROWS},{limits})")
    style.mark_output(c for row in ws[agenda] for c in row)
    for row in ws[agenda]:
        row[4].alignment = WRAP
    _level_colours(ws, style.area(agenda_top + 1, 3, layout.GN_AGENDA_ROWS, 2))
    style.define_name(wb, layout.NAME_GN_AGENDA, ws, agenda)

    # 6. route map catalogue -------------------------------------------------------------
    _section(ws, catalogue_top - 1, "Routekaart: maatregelen per onderwerp en niveau")
    style.header_row(ws, catalogue_top, 1, ["Nr", "Onderwerp", "Vanaf", "Naar", "Maatregel",
                                            "Eigenaar", "Kwartalen"])
    for i, m in enumerate(load_catalogue()):
        r = catalogue_top + 1 + i
        for j, value in enumerate((m.topic, names[m.topic - 1], m.from_level.value,
                                   m.from_level.next.value, m.text, m.owner, m.quarters)):
            style.write_data(ws, ws.cell(row=r, column=1 + j).coordinate, value)
        ws.cell(row=r, column=5).alignment = WRAP
    # one set of widths for the stacked blocks, so each table (A:I) fits one printed page
    # width; long texts in these columns wrap
    style.widths(ws, WIDTHS)
    fit.keep_width(ws, *WIDTHS)
    for row in ws.iter_rows(min_col=1, max_col=max(WIDTHS)):
        for cell in row:
            if isinstance(cell.value, str) and not cell.value.startswith("=") and \
                    fit.text_width(cell.value, cell.font) + fit.PADDING > WIDTHS[cell.column] and \
                    not (cell.alignment is not None and cell.alignment.wrap_text) and \
                    ws.cell(row=cell.row, column=cell.column + 1).value not in (None, ""):
                cell.alignment = WRAP
    ws.freeze_panes = "A5"
    # printed across, then down: a KPI table's Toelichting (J) follows the page of its table,
    # not every other table of the sheet
    ws.page_setup.pageOrder = "overThenDown"

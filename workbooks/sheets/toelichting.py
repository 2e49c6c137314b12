"""Toelichting: how the workbook works, its buttons and its functions, from their own
descriptions (``addin.ribbon``, ``addin.policy.REGISTRY``) so the text cannot drift."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from workbooks import layout, style
from workbooks.context import BuildContext

BOLD = Font(name="Calibri", bold=True)

INTRO = (
    "Gele cellen zijn invoer: hier typt u. Groene cellen rekent Grip uit: die zijn beveiligd "
    "(Controleren > Beveiliging blad opheffen, zonder wachtwoord, als het echt moet).",
    "Formules die met SD_ beginnen zijn functies van Grip. Een melding die met # begint "
    "(bijvoorbeeld #INVOER) zegt wat er mis is en in welke rij en kolom van welk argument.",
    "Zonder Grip (bijvoorbeeld bij een wethouder of accountant): gebruik de kopie met alleen "
    "waarden (knop Deel als waarden of grip werkmap waarden).",
    "Een nieuwe versie van het sjabloon: grip werkmap bijwerken PAD. Grip maakt eerst een "
    "reservekopie en neemt alle invoer (gele cellen) mee.",
)


#: The methods behind the figures, named here and not on the sheets a wethouder reads.
METHODS = (
    ("Chain ladder en Bornhuetter-Ferguson",
     "Prognose en Aanbieders: het bedrag dat nog gedeclareerd wordt, uit de declaratiedriehoek "
     "(hoe laat er eerder is gedeclareerd); bij weinig gegevens gewogen met de verplichtingen."),
    ("Kaplan-Meier",
     "Prognose: hoe lang toewijzingen lopen, hoe lang nieuwe cliënten in zorg blijven en hoe "
     "lang de zorg na de toewijzing op zich laat wachten (wachtlijst, uit de startberichten), "
     "voor de resterende maanden en de nieuwe cliënten."),
    ("Breuk in de instroom",
     "Prognose: als het aantal nieuwe cliënten de laatste drie maanden duidelijk anders is dan "
     "een jaar eerder (bijvoorbeeld door een beleidskorting), telt de rest van het jaar met dat "
     "nieuwe tempo, gewogen naar hoe zeker de breuk is."),
    ("Monte Carlo",
     "Scenario's, Meerjarenraming en Samenvatting: bandbreedtes (P10, P50, P90) en de kans op een "
     "sluitende begroting, door vele keren door te rekenen met waarden binnen de bandbreedtes."),
    ("MAPE",
     "Prognose, Terugblik: de gemiddelde absolute afwijking in procenten over de taakvelden."),
    ("Effectpad",
     "Dwarsverbanden: x(t) = schok + A · x(t − vertraging), jaar voor jaar; het totaaleffect is "
     "(I − A)⁻¹ · schok."),
)


def build(wb: Workbook, ctx: BuildContext) -> None:
    import addin.udfs  # noqa: F401  (fills REGISTRY)
    from addin import ribbon
    from addin.policy import REGISTRY

    ws = wb.create_sheet(layout.TOELICHTING)
    style.title(ws, "Toelichting", "Hoe dit begrotingsmodel werkt, de knoppen en de functies.")
    row = 4
    for text in INTRO:
        ws.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.row_dimensions[row].height = 32
        row += 1

    row += 1
    style.header_row(ws, row, 1, ["Knop (tabblad Grip)", "Wat hij doet", "Groep"])
    for group in ribbon.GROUPS:
        for b in group.buttons:
            row += 1
            ws.cell(row=row, column=1, value=b.label).font = BOLD
            ws.cell(row=row, column=2, value=b.tip).alignment = Alignment(wrap_text=True)
            ws.cell(row=row, column=3, value=group.label)

    row += 2
    style.header_row(ws, row, 1, ["Functie", "Wat hij berekent", "Argumenten"])
    for name, spec in sorted(REGISTRY.items()):
        row += 1
        ws.cell(row=row, column=1, value=name).font = BOLD
        style.write_data(ws, f"B{row}", spec.help)
        style.write_data(ws, f"C{row}", ", ".join(p.name for p in spec.params))
        ws[f"B{row}"].alignment = Alignment(wrap_text=True)

    row += 2
    style.header_row(ws, row, 1, ["Methode", "Waar en wat", ""])
    for name, text in METHODS:
        row += 1
        ws.cell(row=row, column=1, value=name).font = BOLD
        ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True)
    prognose = ctx.data.get("prognose")
    for note in (prognose.notes if prognose is not None else ()):
        row += 1
        ws.cell(row=row, column=1, value="Aantekening prognose").font = BOLD
        style.write_data(ws, f"B{row}", note)
        ws[f"B{row}"].alignment = Alignment(wrap_text=True)

    row += 2
    ws.cell(row=row, column=1, value="Versie sjabloon").font = BOLD
    ws.cell(row=row, column=2, value=layout.TEMPLATE_VERSION)
    ws.cell(row=row + 1, column=1, value="Privacy").font = BOLD
    ws.cell(row=row + 1, column=2, value="Deze werkmap bevat geen BSN, namen of adressen.")
    style.widths(ws, {1: 32, 2: 90, 3: 30})

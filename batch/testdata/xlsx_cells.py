# xlsx_cells.py FILE…: what openpyxl (an independent reader) sees in an
# .xlsx socred wrote, as JSON: the sheet's name and frozen pane, and every
# cell's type (s string, n number, b boolean, d date, f formula), value
# (dates as ISO 8601 wall-clock times), number format and boldness; one
# line of JSON per file.
import datetime, json, sys
import openpyxl

for name in sys.argv[1:]:
    wb = openpyxl.load_workbook(name)
    ws = wb.worksheets[0]
    rows = []
    for row in ws.iter_rows():
        out = []
        for c in row:
            v = c.value
            if isinstance(v, datetime.datetime):
                v = v.isoformat()
            out.append({"t": c.data_type, "v": v, "fmt": c.number_format, "bold": bool(c.font and c.font.b)})
        rows.append(out)
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    print(json.dumps({"sheets": wb.sheetnames, "freeze": ws.freeze_panes, "rows": rows, "widths": widths}))

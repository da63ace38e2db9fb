import sys
lang, country, datepat, sep = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
# datepat: "dmy-dot" etc.
def datestyle(name, with_time):
    parts = '<number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/>'
    if with_time:
        parts += '<number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/>'
        if with_time == 2:
            parts += '<number:text>:</number:text><number:seconds number:style="long"/>'
    return f'<number:date-style style:name="{name}" number:language="{lang}" number:country="{country}">{parts}</number:date-style>'
rows = [
  # id, user, type, public, secret, from(dt, kind), to(dt, kind), comment, active, dept
  ("3", "", "imap", "ola@example.com", "pässwörd1", ("2027-01-31T08:00:00", 1), ("2027-12-31T00:00:00", 0), "=ikke en formel", True, "Salg"),
  ("4", "", "smtp", "kari@example.com", "pw2", ("2027-07-01T23:15:30", 2), ("2028-01-01T00:00:00", 0), "bjørn.ås", False, ""),
  ("F", "", "imap", "five@example.com", "pw5", ("2027-02-01T00:00:00", 0), ("2027-02-28T00:00:00", 0), "AssociateId is =2+3", True, ""),
  ("", "bjørn.ås", "imap", "bjorn@example.com", "pw3", ("2027-03-28T00:00:00", 0), ("2027-10-30T12:00:00", 1), "", True, "IT"),
]
def cell_str(s):
    if s == "": return '<table:table-cell/>'
    s = s.replace("&","&amp;").replace("<","&lt;")
    return f'<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>'
def cell_num(s):
    if s == "": return '<table:table-cell/>'
    return f'<table:table-cell office:value-type="float" office:value="{s}"><text:p>{s}</text:p></table:table-cell>'
def cell_date(v):
    dt, kind = v
    st = ["cdate", "cdatetime", "cdatetimes"][kind]
    return f'<table:table-cell table:style-name="{st}" office:value-type="date" office:date-value="{dt}"><text:p>x</text:p></table:table-cell>'
def cell_bool(b):
    v = "true" if b else "false"
    return f'<table:table-cell table:style-name="cbool" office:value-type="boolean" office:boolean-value="{v}"><text:p>{v.upper()}</text:p></table:table-cell>'
hdr = ["AssociateId","UserName","Type","PublicValue","SecretValue","ValidFrom","ValidTo","Comment","IsActive","Avdeling"]
body = '<table:table-row>' + ''.join(cell_str(h) for h in hdr) + '</table:table-row>\n'
for r in rows:
    if r[0] == "F":
        body += '<table:table-row><table:table-cell table:formula="of:=2+3" office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell>' + cell_str(r[1]) + cell_str(r[2]) + cell_str(r[3]) + cell_str(r[4]) + cell_date(r[5]) + cell_date(r[6]) + cell_str(r[7]) + cell_bool(r[8]) + cell_str(r[9]) + '</table:table-row>\n'
        continue
    body += '<table:table-row>' + cell_num(r[0]) + cell_str(r[1]) + cell_str(r[2]) + cell_str(r[3]) + cell_str(r[4]) + cell_date(r[5]) + cell_date(r[6]) + cell_str(r[7]) + cell_bool(r[8]) + cell_str(r[9]) + '</table:table-row>\n'
print(f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:styles>
<style:default-style style:family="table-cell"><style:text-properties fo:language="{lang}" fo:country="{country}"/></style:default-style>
</office:styles>
<office:automatic-styles>
{datestyle("N1", 0)}
{datestyle("N2", 1)}
{datestyle("N3", 2)}
<number:boolean-style style:name="N4" number:language="{lang}" number:country="{country}"><number:boolean/></number:boolean-style>
<style:style style:name="cdate" style:family="table-cell" style:data-style-name="N1"/>
<style:style style:name="cdatetime" style:family="table-cell" style:data-style-name="N2"/>
<style:style style:name="cdatetimes" style:family="table-cell" style:data-style-name="N3"/>
<style:style style:name="cbool" style:family="table-cell" style:data-style-name="N4"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Ark1">
{body}</table:table></office:spreadsheet></office:body></office:document>''')

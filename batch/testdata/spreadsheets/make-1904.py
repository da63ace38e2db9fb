import openpyxl, datetime
from openpyxl.utils.datetime import CALENDAR_MAC_1904
wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.title = "Notes"
ws2 = wb.create_sheet("Credentials")
for w in (ws, ws2):
    w.append(["AssociateId","Type","PublicValue","ValidFrom","ValidTo","IsActive"])
ws2.append([3,"imap","ola@example.com",datetime.datetime(2027,1,31,8,0),datetime.date(2027,12,31),True])
ws2["D2"].number_format = "yyyy-mm-dd hh:mm"
ws2["E2"].number_format = "d/m/yy"
ws2.append([4.0,"imap","kari@example.com",datetime.datetime(2027,7,1,23,15,30),datetime.datetime(2028,1,1,0,0),False])
ws2["D3"].number_format = "[$-F800]dddd, mmmm dd, yyyy h:mm:ss"
ws2["E3"].number_format = "mmm d, yyyy"
wb.save("openpyxl-1904.xlsx")

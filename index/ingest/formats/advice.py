"""What to tell a user whose file PlanBot cannot read but its program can re-save in one
step. read.py gives the advice by suffix and by content; a reader that finds out only
inside the file (a Word 95 .doc, a .wps that is not Word's format) gives the same words."""

DOCX_ADVICE = "请在 Word 或 WPS 中另存为 .docx 后再发送"
XLSX_ADVICE = "请在 Excel 或 WPS 中另存为 .xlsx 后再发送"
ANY_ADVICE = "请另存为 .docx 或 .xlsx 后再发送"
# OFD (GB/T 33190), the fixed-layout format of e-government documents: formats/ofd.py reads its
# text layer; one it cannot read (damaged, built in a way it does not know, encrypted) its
# readers (数科, 福昕, WPS) can still open and save as a PDF, which PlanBot reads.
OFD_ADVICE = "请用 OFD 阅读器另存为 PDF 后再发送"

// Package batch is socred's work on many associates at once: it reads a
// spreadsheet's CSV export, checks every row with the form's rules, plans
// what saving it would change, applies the plan with bounded concurrency,
// and writes the report; it also audits stored records for expiry. It is
// pure Go (no syscall/js), like soap, and the wasm package exposes it
// thinly.
//
// The steps, each a function or a type of its own file:
//   - Read (read.go, encoding.go, xlsxread.go, zipread.go, xmlscan.go): bytes → a File:
//     an .xlsx workbook's sheet, cells by type, or a CSV file's encoding
//     (UTF-8, UTF-8 with a BOM, or Windows-1252 when the bytes are not
//     UTF-8; refused when they mix the two), delimiter (comma, semicolon or
//     tab, from the header row); the header, the columns ignored, and the
//     rows with their spreadsheet row numbers.
//   - Check (check.go, date.go, with internal/isodate): a File → an Entry per row, valid or with
//     every Problem it has; each Problem has a row, a column, a code and
//     params for the page's catalogue, and an English message.
//   - Client (client.go): what the batch needs of NetServer; Remote is the
//     one that sends soap.Requests through the caller's Sender.
//   - Planner (plan.go): resolves the associates, reads what is stored for
//     each associate and Type once, and says per row create, update,
//     unchanged or refused; optionally the stored records the file does not
//     list, to remove.
//   - Runner (run.go): applies a Plan through a Client with bounded
//     concurrency, Pause, Resume and Cancel, a pause for a new ticket,
//     retries of transient failures, progress, and Retry of failed rows.
//   - Auditor (audit.go) and Export (export.go: the template, the report
//     and the audit export): what goes back to the administrator, as CSV
//     with formula-looking cells neutralised (formula.go) or as .xlsx
//     (xlsx.go, zip.go).
//
// Planner, Runner and Auditor share a Job (job.go): the concurrency,
// retries, pause and progress of their calls.
//
// References:
//   - RFC 4180, Common Format and MIME Type for CSV Files:
//     https://www.rfc-editor.org/rfc/rfc4180
//   - WHATWG Encoding, windows-1252: https://encoding.spec.whatwg.org/index-windows-1252.txt
//   - ISO 8601 dates as RFC 3339 profiles them: https://www.rfc-editor.org/rfc/rfc3339#section-5.6
//   - ECMA-376 Office Open XML, Part 1 (SpreadsheetML: §18.3 worksheets,
//     §18.4 shared strings, §18.8.30 number formats, §18.17.4 dates):
//     https://ecma-international.org/publications-and-standards/standards/ecma-376/
//   - OWASP, CSV Injection: https://owasp.org/www-community/attacks/CSV_Injection
//   - ECMA-376 (Office Open XML), Part 1 §18 SpreadsheetML and Part 2 (the
//     package): https://ecma-international.org/publications-and-standards/standards/ecma-376/
//   - PKWARE, APPNOTE.TXT (the ZIP format): https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
//   - The operations: Services88-User.WcfUser-8.8.wsdl (shared/reference)
package batch

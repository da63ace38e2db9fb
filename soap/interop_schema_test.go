//go:build !js && !wasip1

package soap_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/soap"
)

// userXSD is the schema derived from the User WSDL's first xs:schema (see
// the reference README); it imports the Arrays schema by schemaLocation,
// which xmllint resolves beside it.
const userXSD = "Services88-User.WcfUser-8.8.schema1-Services88.derived.xsd"

// schemaDoc is one standalone document to validate: a Body child or a
// Header child of an envelope, with the namespace declarations it inherited.
type schemaDoc struct {
	name    string // "<envelope> body" or "<envelope> header <Local>"
	path    string // file in the test's temporary folder
	service string // "User" or "SoPrincipal": which schema validates it
}

// TestInteropSchema validates, with xmllint --schema against the schema
// derived from NetServer's WSDL, the Body child and every header of each
// envelope socred builds for the interop table and of each golden request
// in testdata/request-*.xml. SoPrincipal (AuthenticateUsernamePassword) has
// no derived XSD in the reference folder, so one is derived here from its
// WSDL into the test's temporary folder.
func TestInteropSchema(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	schemas := map[string]string{
		"User":        testenv.ReferenceFile(t, userXSD),
		"SoPrincipal": deriveSchema(t, testenv.ReferenceFile(t, "Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl")),
	}
	testenv.ReferenceFile(t, "Services88-User.WcfUser-8.8.schema3-Arrays.derived.xsd")

	envelopes := map[string][]byte{}
	for name, env := range buildAll(t, interopRequests()) {
		envelopes["table "+name] = env.XML
	}
	goldens, err := filepath.Glob(filepath.Join("testdata", "request-*.xml"))
	require.NoError(t, err)
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		require.NoError(t, err)
		envelopes["golden "+filepath.Base(g)] = b
	}
	t.Logf("%d envelopes from the table, %d golden files", len(envelopes)-len(goldens), len(goldens))

	dir := t.TempDir()
	var docs []schemaDoc
	for name, env := range envelopes {
		docs = append(docs, splitEnvelope(t, dir, name, env)...)
	}
	results := validate(t, xmllint, schemas, docs)
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			r := results[d.path]
			assert.True(t, r.ok, "xmllint --schema %s rejects it:\n%s\n%s", filepath.Base(schemas[d.service]), r.output, readFile(t, d.path))
		})
	}
}

// TestInteropSchemaRejects proves the schema check can fail: a Body whose
// ValidTo comes before ValidFrom, a misnamed element, an element outside
// the Services88 namespace, a GetUser whose UserId is no xs:int and a
// GetUserFromName with a misnamed UserName are each rejected, while the
// save envelope unchanged validates.
func TestInteropSchemaRejects(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	schemas := map[string]string{"User": testenv.ReferenceFile(t, userXSD)}
	env, err := soap.Build(soap.Request{Operation: soap.SaveForAssociate, Ticket: "7T:t", AssociateID: 5, Type: "imap",
		Credentials: soap.UntrustedCredentials{
			ValidFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			Comment: "c", SecretValue: "s", PublicValue: "p", IsActive: true,
		}})
	require.NoError(t, err)

	mutate := func(f func(op *etree.Element)) []byte {
		doc := etree.NewDocument()
		require.NoError(t, doc.ReadFromBytes(env.XML))
		f(bodyChild(t, doc))
		b, err := doc.WriteToBytes()
		require.NoError(t, err)
		return b
	}
	cases := map[string][]byte{
		"unchanged": env.XML,
		"ValidTo before ValidFrom": mutate(func(op *etree.Element) {
			c := op.SelectElement("Credentials")
			to := c.SelectElement("ValidTo")
			c.RemoveChild(to)
			c.InsertChildAt(c.SelectElement("ValidFrom").Index(), to)
		}),
		"Comment misnamed": mutate(func(op *etree.Element) {
			op.SelectElement("Credentials").SelectElement("Comment").Tag = "Comments"
		}),
		"IsActive outside the namespace": mutate(func(op *etree.Element) {
			a := op.SelectElement("Credentials").SelectElement("IsActive")
			a.Space = ""
			a.CreateAttr("xmlns", "urn:other")
		}),
		// The user lookups' own bodies validate in TestInteropSchema.
		"GetUser with a UserId that is a name":     bytes.Replace(lookup(t, soap.GetUser), []byte(">6</ns:UserId>"), []byte(">ola.nordmann</ns:UserId>"), 1),
		"GetUserFromName with a misnamed UserName": bytes.ReplaceAll(lookup(t, soap.GetUserFromName), []byte("ns:UserName>"), []byte("ns:Username>")),
	}
	dir := t.TempDir()
	var docs []schemaDoc
	for name, b := range cases {
		for _, d := range splitEnvelope(t, dir, name, b) {
			if strings.HasSuffix(d.name, " body") {
				docs = append(docs, d)
			}
		}
	}
	require.Len(t, docs, len(cases))
	results := validate(t, xmllint, schemas, docs)
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			r := results[d.path]
			if strings.HasPrefix(d.name, "unchanged") {
				assert.True(t, r.ok, "the unchanged body must validate, or the refusals prove nothing:\n%s", r.output)
				return
			}
			assert.False(t, r.ok, "xmllint accepted a broken body:\n%s", readFile(t, d.path))
			t.Logf("xmllint: %s", strings.TrimSpace(r.output))
		})
	}
}

// lookup builds a valid GetUser (associate 6) or GetUserFromName
// (bjørn.ås) envelope for the refusals above to break.
func lookup(t *testing.T, op soap.Operation) []byte {
	t.Helper()
	env, err := soap.Build(soap.Request{Operation: op, Ticket: "7T:t", AssociateID: 6, UserName: "bjørn.ås"})
	require.NoError(t, err)
	return env.XML
}

// bodyChild returns the element inside the envelope's Body.
func bodyChild(t *testing.T, doc *etree.Document) *etree.Element {
	t.Helper()
	root := doc.Root()
	require.NotNil(t, root, "no root element")
	require.Equal(t, "Envelope", root.Tag)
	body := root.SelectElement("Body")
	require.NotNil(t, body, "no Body")
	kids := body.ChildElements()
	require.Len(t, kids, 1, "the Body must hold exactly one element")
	return kids[0]
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// splitEnvelope writes the Body child and each Header child of an envelope
// as standalone documents into dir, each carrying every namespace
// declaration it had in scope (xsi:type values name prefixes declared on
// the Envelope).
func splitEnvelope(t *testing.T, dir, name string, env []byte) []schemaDoc {
	t.Helper()
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(env), "%s is not well-formed", name)
	op := bodyChild(t, doc)
	service := "User"
	if op.Tag == string(soap.AuthenticateUsernamePassword) {
		service = "SoPrincipal"
	}
	parts := []*etree.Element{op}
	names := []string{name + " body"}
	if h := doc.Root().SelectElement("Header"); h != nil {
		for _, c := range h.ChildElements() {
			parts = append(parts, c)
			names = append(names, name+" header "+c.Tag)
		}
	}
	var out []schemaDoc
	for i, el := range parts {
		standalone := el.Copy()
		declared := map[string]bool{}
		for _, a := range standalone.Attr {
			if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
				declared[a.Key] = true
			}
		}
		for p := el.Parent(); p != nil; p = p.Parent() {
			for _, a := range p.Attr {
				if (a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns")) && !declared[a.Key] {
					declared[a.Key] = true
					standalone.CreateAttr(a.FullKey(), a.Value)
				}
			}
		}
		d := etree.NewDocument()
		d.CreateProcInst("xml", `version="1.0" encoding="utf-8"`)
		d.SetRoot(standalone)
		path := filepath.Join(dir, fmt.Sprintf("%s-%d.xml", unsafeName.ReplaceAllString(name, "_"), i))
		require.NoError(t, d.WriteToFile(path))
		out = append(out, schemaDoc{name: names[i], path: path, service: service})
	}
	return out
}

type schemaResult struct {
	ok     bool
	output string // xmllint's lines about this file
}

// validate runs xmllint once per schema over all its documents and returns
// each file's verdict. A file xmllint says nothing conclusive about fails.
func validate(t *testing.T, xmllint string, schemas map[string]string, docs []schemaDoc) map[string]schemaResult {
	t.Helper()
	byService := map[string][]string{}
	for _, d := range docs {
		byService[d.service] = append(byService[d.service], d.path)
	}
	results := map[string]schemaResult{}
	for service, files := range byService {
		schema, ok := schemas[service]
		require.True(t, ok, "no schema for %s", service)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, xmllint, append([]string{"--noout", "--nonet", "--schema", schema}, files...)...)
		// The User schema imports the Arrays schema by a relative
		// schemaLocation; run where it lives, as the reference README does.
		cmd.Dir = filepath.Dir(schema)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			// Exit status 3 means "some file did not validate"; anything
			// else (the schema does not compile, xmllint crashed) is fatal.
			ee, isExit := err.(*exec.ExitError)
			require.True(t, isExit && ee.ExitCode() == 3, "xmllint --schema %s: %v\n%s", schema, err, out)
		}
		lines := map[string][]string{}
		verdict := map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			for _, f := range files {
				switch {
				case line == f+" validates":
					verdict[f] = true
				case strings.HasPrefix(line, f+":") || strings.HasPrefix(line, f+" "):
					lines[f] = append(lines[f], line)
				}
			}
		}
		for _, f := range files {
			results[f] = schemaResult{ok: verdict[f], output: strings.Join(lines[f], "\n")}
		}
	}
	return results
}

// deriveSchema writes each xs:schema of a WSDL's types into the test's
// temporary folder as its own file, with the namespace declarations it
// inherited from the WSDL root and a schemaLocation on each xs:import that
// names a sibling, and returns the Services88 schema's path. This is what
// the reference folder's derived User XSD is, done for SoPrincipal, whose
// derived copy is not kept anywhere.
func deriveSchema(t *testing.T, wsdl string) string {
	t.Helper()
	const (
		nsWSDL = "http://schemas.xmlsoap.org/wsdl/"
		nsXS   = "http://www.w3.org/2001/XMLSchema"
	)
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromFile(wsdl))
	root := doc.Root()
	var schemas []*etree.Element
	for _, types := range root.ChildElements() {
		if types.Tag != "types" || types.NamespaceURI() != nsWSDL {
			continue
		}
		for _, s := range types.ChildElements() {
			if s.Tag == "schema" && s.NamespaceURI() == nsXS {
				schemas = append(schemas, s)
			}
		}
	}
	require.NotEmpty(t, schemas, "%s has no xs:schema", wsdl)

	dir := filepath.Join(t.TempDir(), "soprincipal-xsd")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	files := map[string]string{} // targetNamespace → file name
	for i, s := range schemas {
		files[s.SelectAttrValue("targetNamespace", "")] = fmt.Sprintf("schema%d.xsd", i+1)
	}
	main := ""
	for i, s := range schemas {
		c := s.Copy()
		for _, a := range root.Attr {
			if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
				if c.SelectAttr(a.FullKey()) == nil {
					c.CreateAttr(a.FullKey(), a.Value)
				}
			}
		}
		for _, imp := range c.ChildElements() {
			if imp.Tag == "import" && imp.NamespaceURI() == nsXS {
				if f, ok := files[imp.SelectAttrValue("namespace", "")]; ok {
					imp.CreateAttr("schemaLocation", f)
				}
			}
		}
		out := etree.NewDocument()
		out.CreateProcInst("xml", `version="1.0" encoding="utf-8"`)
		out.SetRoot(c)
		name := fmt.Sprintf("schema%d.xsd", i+1)
		require.NoError(t, out.WriteToFile(filepath.Join(dir, name)))
		if s.SelectAttrValue("targetNamespace", "") == soap.NS {
			main = filepath.Join(dir, name)
		}
	}
	require.NotEmpty(t, main, "%s has no schema for %s", wsdl, soap.NS)
	return main
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

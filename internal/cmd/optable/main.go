// Command optable writes the table of operations (package internal/optable)
// from the bundled spec: each operation's id, method, path template, which of
// Gameball's key headers its security requires, its documented statuses, and
// whether sending it twice is safe (which the client's retries obey). It is
// the one list of operations: the client's retries and keys, the mock's
// steering, fault rules and journal, the dashboard, the fuzz targets and the
// benchmarks all read it. oapi-codegen's output carries none of this, and a
// hand-kept list would drift from the documents.
//
// A replay is safe when the spec shows it (see replay), or when replayRules,
// below, says why for an operation the spec cannot tell about.
//
//	go run ./internal/cmd/optable -o internal/optable/optable.gen.go spec/gameball.bundle.yaml
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"
)

type operation struct {
	ID, Method, Path string
	Headers          []string // key headers every security alternative requires
	ReplaySafe       bool     // a second copy of the request cannot apply anything twice
	Replay           string   // why (or why not)
	Statuses         []int    // documented response statuses, ascending
	Body             bool     // the operation takes a request body
}

// replayRules declares operations safe to replay that the spec cannot prove
// safe (their bodies carry no transactionId), each with its reason. It is
// kept small on purpose: a rule for an operation the spec does not have, or
// for one the spec already proves safe, is an error, so a rule goes when
// Gameball's documents change under it.
var replayRules = map[string]string{
	// The page says: "calculates the expected cashback points but does not
	// perform any actual reward or action for the customer".
	"calculatePaymentCashback": "rule: computes the expected points and rewards nothing",
	// Stopping a job that has ended answers it unchanged, so a second stop
	// is the first one's no-op.
	"stopBatch": "rule: stopping a job twice leaves it as stopping it once does",
	// A refund's body requires its own new refundTransactionId, which
	// Gameball refuses to apply twice (9004), as a transactionId.
	"refundTransaction": "rule: the body requires a refundTransactionId: Gameball refuses a replay with 9004",
	// Activating activates what is pending; a second call finds nothing
	// pending and answers 0 points.
	"activateTransaction": "rule: activating twice activates once; the second call answers 0 points",
}

func main() {
	out := flag.String("o", "", "output Go file")
	pkg := flag.String("package", "optable", "package name of the output")
	flag.Parse()
	if flag.NArg() != 1 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: optable -o FILE [-package NAME] SPEC")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *pkg); err != nil {
		fmt.Fprintln(os.Stderr, "optable:", err)
		os.Exit(1)
	}
}

func run(specPath, outPath, pkg string) error {
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		return err
	}
	ops, err := operations(doc, replayRules)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, map[string]any{"Package": pkg, "Source": specPath, "Operations": ops}); err != nil {
		return err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(outPath, src, 0o644)
}

func operations(doc *openapi3.T, rules map[string]string) ([]operation, error) {
	var ops []operation
	ruled := map[string]bool{}
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			security := doc.Security
			if op.Security != nil {
				security = *op.Security
			}
			headers, err := requiredHeaders(doc, security)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			safe, why := replay(method, op)
			if rule, ok := rules[op.OperationID]; ok {
				if safe {
					return nil, fmt.Errorf("%s: the spec shows a replay is safe (%s); drop its replay rule", op.OperationID, why)
				}
				safe, why = true, rule
				ruled[op.OperationID] = true
			}
			var statuses []int
			for code := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err != nil {
					return nil, fmt.Errorf("%s: response %q is not a status: name every status Gameball answers", op.OperationID, code)
				}
				statuses = append(statuses, status)
			}
			slices.Sort(statuses)
			ops = append(ops, operation{ID: op.OperationID, Method: method, Path: path, Headers: headers, ReplaySafe: safe, Replay: why, Statuses: statuses, Body: op.RequestBody != nil})
		}
	}
	for id := range rules {
		if !ruled[id] {
			return nil, fmt.Errorf("a replay rule names %s, which the spec does not have", id)
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.ID, b.ID) })
	return ops, nil
}

// requiredHeaders is the set of apiKey header names present in every
// alternative of the security requirements: what must be sent whichever
// alternative the server checks.
func requiredHeaders(doc *openapi3.T, security openapi3.SecurityRequirements) ([]string, error) {
	var common []string
	for i, alternative := range security {
		var names []string
		for scheme := range alternative {
			ref := doc.Components.SecuritySchemes[scheme]
			if ref == nil || ref.Value == nil {
				return nil, fmt.Errorf("unknown security scheme %q", scheme)
			}
			if ref.Value.Type == "apiKey" && ref.Value.In == "header" {
				names = append(names, strings.ToLower(ref.Value.Name))
			}
		}
		if i == 0 {
			common = names
			continue
		}
		common = slices.DeleteFunc(common, func(n string) bool { return !slices.Contains(names, n) })
	}
	slices.Sort(common)
	return common, nil
}

// replay reports whether the spec shows a second copy of op's request is
// harmless: a read, or a write whose body requires a transactionId (for a
// batch, in every item), which Gameball refuses to apply twice (9004).
func replay(method string, op *openapi3.Operation) (bool, string) {
	switch method {
	case "GET", "HEAD", "OPTIONS":
		return true, method + " reads without changing anything"
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
			if where, ok := carriesTransactionID(mt.Schema.Value); ok {
				return true, where + " requires a transactionId: Gameball refuses a replay with 9004"
			}
		}
	}
	return false, "a " + method + " without a required transactionId: a replay could apply it twice"
}

// carriesTransactionID reports whether every value of s requires a
// transactionId: an object requiring one, a list of such objects, or a
// wrapper object whose properties are all such lists (a batch). Anything
// else, combinators included, is answered no: unsure means unsafe.
func carriesTransactionID(s *openapi3.Schema) (string, bool) {
	switch {
	case s == nil:
		return "", false
	case slices.Contains(s.Required, "transactionId") && s.Properties["transactionId"] != nil:
		return "the body", true
	case s.Type.Is("array"):
		if s.Items == nil {
			return "", false
		}
		_, ok := carriesTransactionID(s.Items.Value)
		return "every item", ok
	case s.Type.Is("object") && len(s.Properties) > 0:
		for _, p := range s.Properties {
			if p.Value == nil || !p.Value.Type.Is("array") {
				return "", false
			}
			if _, ok := carriesTransactionID(p.Value); !ok {
				return "", false
			}
		}
		return "every item", true
	}
	return "", false
}

var tmpl = template.Must(template.New("").Parse(`// Code generated by internal/cmd/optable from {{.Source}}. DO NOT EDIT.

package {{.Package}}

// All is every operation of the spec with the key headers its security
// requires, its documented statuses and whether a replay is safe, sorted by
// operationId.
var All = []Operation{
{{- range .Operations}}
	{
		ID:         {{printf "%q" .ID}},
		Method:     {{printf "%q" .Method}},
		Path:       {{printf "%q" .Path}},
		Headers:    []string{ {{- range $i, $h := .Headers}}{{if $i}}, {{end}}{{printf "%q" $h}}{{end -}} },
		ReplaySafe: {{.ReplaySafe}},
		Replay:     {{printf "%q" .Replay}},
		Statuses:   []int{ {{- range $i, $s := .Statuses}}{{if $i}}, {{end}}{{$s}}{{end -}} },
		Body:       {{.Body}},
	},
{{- end}}
}
`))

package client_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportedNamesDocumented: every exported name of client and
// gameballtest has a comment, as go doc shows it: in hand-written files every
// type, function, method, constant, variable, struct field and interface
// method; in generated files (the model aliases, the error codes, the
// operation table) every top-level name (fields there come from the spec's
// descriptions). The low-level client's undocumented response wrappers live in
// package gbapi, which users reach only through Raw.
func TestExportedNamesDocumented(t *testing.T) {
	for _, dir := range []string{".", "../gameballtest"} {
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			for _, missing := range undocumented(f, ast.IsGenerated(f)) {
				t.Errorf("%s: %s has no doc comment", name, missing)
			}
		}
	}
}

// undocumented lists the exported names of f without a comment.
func undocumented(f *ast.File, generated bool) []string {
	var out []string
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() || d.Doc != nil {
				continue
			}
			if d.Recv != nil {
				recv := d.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				if id, ok := recv.(*ast.Ident); ok && !id.IsExported() {
					continue
				}
			}
			out = append(out, "func "+d.Name.Name)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					if s.Doc == nil && d.Doc == nil && s.Comment == nil {
						out = append(out, "type "+s.Name.Name)
					}
					if !generated {
						out = append(out, undocumentedMembers(s)...)
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() && s.Doc == nil && s.Comment == nil && d.Doc == nil {
							out = append(out, n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// undocumentedMembers lists the exported fields or methods of a struct or
// interface type without a comment.
func undocumentedMembers(s *ast.TypeSpec) []string {
	var fields *ast.FieldList
	switch t := s.Type.(type) {
	case *ast.StructType:
		fields = t.Fields
	case *ast.InterfaceType:
		fields = t.Methods
	default:
		return nil
	}
	var out []string
	for _, fl := range fields.List {
		for _, n := range fl.Names {
			if n.IsExported() && fl.Doc == nil && fl.Comment == nil {
				out = append(out, s.Name.Name+"."+n.Name)
			}
		}
	}
	return out
}

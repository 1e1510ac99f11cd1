package contracttest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// emptyRequired lists the required string properties of value that are
// empty. The spec allows "", but the generated types send a required string
// the code never set as "": a field the documents newly require shows up as
// one. Only exchanges between the typed client and a server are held to it.
func emptyRequired(s *openapi3.Schema, value any, at string) []string {
	if s == nil {
		return nil
	}
	var out []string
	switch v := value.(type) {
	case map[string]any:
		for _, name := range s.Required {
			if str, ok := v[name].(string); ok && str == "" {
				out = append(out, at+"/"+name)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			if p := s.Properties[name]; p != nil && v[name] != nil {
				out = append(out, emptyRequired(p.Value, v[name], at+"/"+name)...)
			}
		}
	case []any:
		if s.Items != nil {
			for i, item := range v {
				out = append(out, emptyRequired(s.Items.Value, item, fmt.Sprintf("%s/%d", at, i))...)
			}
		}
	}
	return out
}

// checkEmptyRequired applies emptyRequired to a JSON body.
func checkEmptyRequired(content openapi3.Content, body []byte) error {
	mt := content.Get("application/json")
	if mt == nil || mt.Schema == nil || len(body) == 0 {
		return nil
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return nil // kin-openapi has judged the JSON itself
	}
	if empty := emptyRequired(mt.Schema.Value, value, ""); len(empty) > 0 {
		return fmt.Errorf("required properties sent empty, as the generated types send a field the code never set: %v", empty)
	}
	return nil
}

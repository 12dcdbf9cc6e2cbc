package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// decodeItem decodes one raw JSON item strictly into dst (a pointer to a
// platform record): unknown fields are refused, so a misspelt field is
// reported instead of silently read as missing. The error names the field.
func decodeItem(raw json.RawMessage, dst any) *ItemError {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if dec.More() {
			return &ItemError{Message: "holds more than one JSON value: send one object per item"}
		}
		return nil
	}
	return describeDecodeError(raw, dst, err)
}

func describeDecodeError(raw json.RawMessage, dst any, err error) *ItemError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &ItemError{Message: "is not valid JSON (it ends early): send one complete JSON object per item"}
	case errors.As(err, &syn):
		return &ItemError{Message: fmt.Sprintf("is not valid JSON (%v at byte %d)", syn, syn.Offset)}
	case errors.As(err, &typ) && typ.Field == "":
		return &ItemError{Message: fmt.Sprintf("is a JSON %s; each item must be a JSON object", typ.Value)}
	case errors.As(err, &typ):
		return &ItemError{Field: typ.Field, Message: fmt.Sprintf("is a JSON %s but must be a %s", typ.Value, jsonKind(typ.Type))}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return &ItemError{Field: name, Message: "is not a field of this record: the fields are " + strings.Join(fieldNames(dst), ", ")}
	}
	// Errors from a field's own decoder (time.Time) do not name the field:
	// find it by decoding the fields one at a time.
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t := reflect.TypeOf(dst).Elem()
		for _, k := range keys {
			probe := reflect.New(t).Interface()
			one, _ := json.Marshal(map[string]json.RawMessage{k: obj[k]})
			if e := json.Unmarshal(one, probe); e != nil {
				msg := e.Error()
				if strings.Contains(msg, "parsing time") {
					msg = "is not an RFC 3339 time: send e.g. 2024-05-01T08:30:00Z"
				}
				return &ItemError{Field: k, Message: msg}
			}
		}
	}
	return &ItemError{Message: err.Error()}
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "whole number"
	case reflect.Slice:
		return "array"
	case reflect.Struct:
		if t.String() == "time.Time" {
			return "RFC 3339 time string"
		}
		return "object"
	}
	return t.String()
}

var fieldNameCache sync.Map // reflect.Type → []string

// fieldNames lists the JSON field names of the record dst points to, in
// declaration order, for "unknown field" messages.
func fieldNames(dst any) []string {
	t := reflect.TypeOf(dst).Elem()
	if v, ok := fieldNameCache.Load(t); ok {
		return v.([]string)
	}
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	fieldNameCache.Store(t, out)
	return out
}

// itemID digs the "id" out of an item that failed to decode, so that the
// error can name it.
func itemID(raw json.RawMessage) string {
	var v struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	if s, ok := v.ID.(string); ok && len(s) <= 256 {
		return s
	}
	return ""
}

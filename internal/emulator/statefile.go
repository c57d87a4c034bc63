package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
)

// The optional state file: loaded when the emulator starts, rewritten atomically (temporary file
// and rename) whenever the state changed after an action or a control call.

func (e *Emulator) loadStateFile() error {
	data, err := os.ReadFile(e.stateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the state file: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	s, err := decodeState(data, false)
	if err != nil {
		return fmt.Errorf("state file %s: %w", e.stateFile, err)
	}
	e.state = s
	e.lastSaved, _ = encodeState(s)
	return nil
}

// saveStateLocked writes the state file if the state changed since the last write. The caller
// holds e.mu.
func (e *Emulator) saveStateLocked() error {
	if e.stateFile == "" || e.saveBlocked {
		return nil
	}
	data, err := encodeState(e.state)
	if err != nil {
		e.logf("emulator: encoding the state: %v", err)
		return err
	}
	if bytes.Equal(data, e.lastSaved) {
		return nil
	}
	if err := writeFileAtomic(e.stateFile, data); err != nil {
		e.logf("emulator: saving the state file: %v", err)
		return err
	}
	e.lastSaved = data
	return nil
}

func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func encodeState(s *State) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeState reads a State from JSON. strict refuses unknown fields (documents written by
// people and tests); the state file is read leniently. Missing collections are empty, and NextID
// is raised above every id present so that new objects never collide with seeded ones.
func decodeState(data []byte, strict bool) (*State, error) {
	s := newState()
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(s); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON document")
	}
	normalizeState(s)
	return s, nil
}

// normalizeState makes nil collections empty and raises NextID to the largest id present.
func normalizeState(s *State) {
	v := reflect.ValueOf(s).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Map:
			if f.IsNil() {
				f.Set(reflect.MakeMap(f.Type()))
			}
			for _, k := range f.MapKeys() {
				if n, err := strconv.ParseInt(k.String(), 10, 64); err == nil && n > s.NextID {
					s.NextID = n
				}
			}
		case reflect.Slice:
			for j := 0; j < f.Len(); j++ {
				el := reflect.Indirect(f.Index(j))
				if el.Kind() != reflect.Struct {
					continue
				}
				if id := el.FieldByName("ID"); id.IsValid() && id.CanInt() && id.Int() > s.NextID {
					s.NextID = id.Int()
				}
			}
		}
	}
}

// ImportState replaces the whole state with a JSON document of State (unknown fields refused),
// for example a seed file, and saves it.
func (e *Emulator) ImportState(data []byte) error {
	s, err := decodeState(data, true)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.state = s
	return e.saveStateLocked()
}

// ExportState returns the whole state as JSON.
func (e *Emulator) ExportState() ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.runTickersLocked()
	return encodeState(e.state)
}

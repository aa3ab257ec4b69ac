package main

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"net/http"
	"net/rpc"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gohost/model"
	"gohost/plugin"
)

// writeFixtures writes, per file, what a fresh gob.Encoder emits for one net/rpc message.
func writeFixtures(dir string) {
	u, _ := url.Parse("/api/v0/incidents?x=1")
	fixtures := map[string][]interface{}{
		"go_execute_command_call": {
			&rpc.Request{ServiceMethod: "Plugin.ExecuteCommand", Seq: 7},
			&plugin.Z_ExecuteCommandArgs{
				A: &plugin.Context{SessionId: "s1", RequestId: "r1", IPAddress: "10.0.0.1", UserAgent: "ua"},
				B: &model.CommandArgs{UserId: "u1", ChannelId: "c1", TeamId: "t1", TriggerId: "tr1",
					Command: "/incident help", SiteURL: "http://localhost:8065",
					Session:      model.Session{Id: "s1", Props: map[string]string{"k": "v"}, TeamMembers: []*model.TeamMember{{TeamId: "t1"}}},
					UserMentions: map[string]string{"alice": "u2"}},
			},
		},
		"go_on_activate_app_error": {
			&plugin.Z_OnActivateReturns{A: &model.AppError{Id: "x.y", Message: "m", DetailedError: "d", StatusCode: 500, Where: "OnActivate"}},
		},
		"go_on_activate_error_string": {
			&plugin.Z_OnActivateReturns{A: &plugin.ErrorString{Code: 2, Err: "sql: no rows"}},
		},
		"go_serve_http_args": {
			&plugin.Z_ServeHTTPArgs{ResponseWriterStream: 3, RequestBodyStream: 4, Context: &plugin.Context{RequestId: "r1"},
				Request: &plugin.HTTPRequestSubset{Method: "POST", URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
					Header: http.Header{"Mattermost-User-Id": {"u1"}}, Host: "localhost", RemoteAddr: "127.0.0.1:5555",
					RequestURI: "/plugins/x/api/v0/incidents?x=1"}},
		},
		"go_channel_returns": {
			&plugin.Z_ChannelReturns{A: &model.Channel{Id: "c1", TeamId: "t1", Type: "P", DisplayName: "War room",
				Name: "war-room", CreateAt: 1700000000000, Props: map[string]interface{}{"n": 1}}},
		},
		"go_not_found_returns": {
			&plugin.Z_ChannelReturns{B: &model.AppError{Id: "app.not_found", Message: "nope", StatusCode: 404}},
		},
		"go_log_args": {
			&plugin.Z_LogArgs{A: "hello", B: []interface{}{"k", "v", "n", 3, "nested", map[string]interface{}{"a": []interface{}{true, 1.5}}}},
		},
		"go_time": {
			time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
		},
	}
	for name, values := range fixtures {
		var buf bytes.Buffer
		enc := gob.NewEncoder(&buf)
		for _, v := range values {
			if err := enc.Encode(v); err != nil {
				fmt.Fprintln(os.Stderr, name, err)
				os.Exit(1)
			}
		}
		if err := ioutil.WriteFile(filepath.Join(dir, name+".hex"), []byte(hex.EncodeToString(buf.Bytes())+"\n"), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// checkFixtures decodes each rust_*.hex file (a header and a body, as net/rpc sends them) into
// the Go types Mattermost's host uses and prints them as JSON, one object per file.
func checkFixtures(dir string) {
	targets := map[string]func() interface{}{
		"rust_on_activate_reply":        func() interface{} { return &plugin.Z_OnActivateReturns{} },
		"rust_execute_command_reply":    func() interface{} { return &plugin.Z_ExecuteCommandReturns{} },
		"rust_execute_command_error":    func() interface{} { return &plugin.Z_ExecuteCommandReturns{} },
		"rust_implemented_reply":        func() interface{} { return &[]string{} },
		"rust_create_post_call":         func() interface{} { return &plugin.Z_PostArgs{} },
		"rust_kv_set_with_options_call": func() interface{} { return &plugin.Z_KVSetWithOptionsArgs{} },
		"rust_log_call":                 func() interface{} { return &plugin.Z_LogArgs{} },
		"rust_sync_header_call":         func() interface{} { return &http.Header{} },
	}
	out := map[string]interface{}{}
	for name, make := range targets {
		raw, err := ioutil.ReadFile(filepath.Join(dir, name+".hex"))
		if err != nil {
			out[name] = "missing: " + err.Error()
			continue
		}
		b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
		if err != nil {
			out[name] = "bad hex: " + err.Error()
			continue
		}
		dec := gob.NewDecoder(bytes.NewReader(b))
		var head struct {
			ServiceMethod string
			Seq           uint64
			Error         string
		}
		if err := dec.Decode(&head); err != nil {
			out[name] = "header: " + err.Error()
			continue
		}
		v := make()
		if err := dec.Decode(v); err != nil {
			out[name] = "body: " + err.Error()
			continue
		}
		out[name] = map[string]interface{}{"header": head, "body": describe(v)}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

// describe turns error interfaces into "<type>: <text>" so the JSON shows what Go decoded.
func describe(v interface{}) interface{} {
	switch r := v.(type) {
	case *plugin.Z_OnActivateReturns:
		if r.A == nil {
			return map[string]interface{}{"A": nil}
		}
		return map[string]interface{}{"A": fmt.Sprintf("%T", r.A), "AppError": r.A}
	}
	return v
}

// Command go-host drives a plugin binary the way a released Mattermost server does: the real
// hashicorp/go-plugin client in net/rpc mode, launched from another working directory, with
// Mattermost's handshake config, a 3 s start timeout and the executable's checksum. It prints one
// JSON object describing what happened, for tests/it/netrpc.rs to assert on.
//
//	go-host -plugin DIR [-probe]   run the plugin in DIR (its plugin.json names the executable)
//	go-host -fixtures DIR          write Go's gob bytes for Mattermost-shaped values as hex files
//	go-host -check DIR             decode the Rust-written rust_*.hex files and print them
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"net/http"
	"net/http/httptest"
	"net/rpc"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"gohost/model"
	"gohost/plugin"
)

// Mattermost-shaped ids (26 lowercase letters and digits), as the server sends them.
const (
	userID    = "useraaaaaaaaaaaaaaaaaaaaaa"
	teamID    = "teamaaaaaaaaaaaaaaaaaaaaaa"
	channelID = "chanaaaaaaaaaaaaaaaaaaaaaa"
)

type hooksPlugin struct{}

func (hooksPlugin) Server(*goplugin.MuxBroker) (interface{}, error) {
	return nil, errors.New("host only")
}
func (hooksPlugin) Client(b *goplugin.MuxBroker, c *rpc.Client) (interface{}, error) {
	return &hooks{client: c, broker: b}, nil
}

type hooks struct {
	client *rpc.Client
	broker *goplugin.MuxBroker
}

type httpResult struct {
	Status      int     `json:"status"`
	ContentType string  `json:"content_type"`
	Body        string  `json:"body"`
	BodyLen     int     `json:"body_len"`
	Sha256      string  `json:"sha256"`
	Ms          float64 `json:"ms"`
}

// serveHTTP mirrors hooksRPCClient.ServeHTTP: writer stream, body stream, then the call.
func (h *hooks) serveHTTP(method, path string, body []byte) (httpResult, error) {
	return h.serveHTTPAs(userID, method, path, body)
}

// serveHTTPAs is serveHTTP for another signed-in user.
func (h *hooks) serveHTTPAs(user, method, path string, body []byte) (httpResult, error) {
	start := time.Now()
	rec := httptest.NewRecorder()
	writerID := h.broker.NextId()
	go h.broker.AcceptAndServe(writerID, &plugin.ResponseWriter{W: rec})
	bodyID := uint32(0)
	if body != nil {
		bodyID = h.broker.NextId()
		go func() {
			conn, err := h.broker.Accept(bodyID)
			if err != nil {
				return
			}
			plugin.ServeBody(bytes.NewReader(body), conn)
		}()
	}
	u, _ := url.Parse(path)
	req := &plugin.HTTPRequestSubset{Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Mattermost-User-Id": {user}, "Content-Type": {"application/json"}},
		Host:   "localhost:8065", RemoteAddr: "127.0.0.1:50000", RequestURI: "/plugins/x" + path}
	args := plugin.Z_ServeHTTPArgs{ResponseWriterStream: writerID, Request: req,
		Context: &plugin.Context{RequestId: "req1"}, RequestBodyStream: bodyID}
	if err := h.client.Call("Plugin.ServeHTTP", args, nil); err != nil {
		return httpResult{}, err
	}
	res := rec.Result()
	out, _ := ioutil.ReadAll(res.Body)
	r := httpResult{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), BodyLen: len(out), Sha256: sha(out),
		Ms: float64(time.Since(start).Microseconds()) / 1000}
	if len(out) < 4096 {
		r.Body = string(out)
	}
	return r, nil
}

// channelHooks sends MessageHasBeenPosted (bob in the incident channel), UserHasLeftChannel (bob) and
// OnPluginClusterEvent (the incident changed on another node) as the server does.
func (h *hooks) channelHooks(api *plugin.API, incident string, fail func(string, ...interface{})) {
	var ch plugin.Z_ChannelReturns
	_ = api.GetChannelByName(&plugin.Z_Args3SSB{A: teamID, B: "database-down"}, &ch)
	if ch.A == nil {
		fail("no incident channel")
		return
	}
	ctx := &plugin.Context{RequestId: "hook"}
	post := &model.Post{Id: "postbob", UserId: plugin.BobID, ChannelId: ch.A.Id, Message: "Replica lag is 40 s"}
	var none struct{}
	if err := h.client.Call("Plugin.MessageHasBeenPosted", &plugin.Z_MessageHasBeenPostedArgs{A: ctx, B: post}, &none); err != nil {
		fail("MessageHasBeenPosted: %v", err)
	}
	var bob plugin.Z_UserReturns
	_ = api.GetUser(&plugin.Z_Args1S{A: plugin.BobID}, &bob)
	_ = api.DeleteChannelMember(&plugin.Z_Args2S{A: ch.A.Id, B: plugin.BobID}, &plugin.Z_ReturnsAppErr{})
	left := &plugin.Z_ChannelMemberHookArgs{A: ctx, B: &model.ChannelMember{ChannelId: ch.A.Id, UserId: plugin.BobID}, C: bob.A}
	if err := h.client.Call("Plugin.UserHasLeftChannel", left, &none); err != nil {
		fail("UserHasLeftChannel: %v", err)
	}
	event := &plugin.Z_OnPluginClusterEventArgs{A: ctx, B: model.PluginClusterEvent{Id: "incident_changed",
		Data: []byte(`{"incident_id":"` + incident + `","version":999}`)}}
	if err := h.client.Call("Plugin.OnPluginClusterEvent", event, &none); err != nil {
		fail("OnPluginClusterEvent: %v", err)
	}
}

// command runs `text` as alice in town-square, or in channel <name> when written `~<name> /command …`.
func (h *hooks) command(api *plugin.API, text string) (*model.CommandResponse, *model.AppError, float64, error) {
	start := time.Now()
	channel := channelID
	if strings.HasPrefix(text, "~") {
		parts := strings.SplitN(text, " ", 2)
		var found model.Channel
		var ret plugin.Z_ChannelReturns
		_ = api.GetChannelByName(&plugin.Z_Args3SSB{A: teamID, B: parts[0][1:]}, &ret)
		if ret.A != nil {
			found = *ret.A
		}
		channel, text = found.Id, strings.TrimSpace(parts[len(parts)-1])
	}
	args := &plugin.Z_ExecuteCommandArgs{
		A: &plugin.Context{SessionId: "session1", RequestId: "req2", IPAddress: "127.0.0.1"},
		B: &model.CommandArgs{UserId: userID, ChannelId: channel, TeamId: teamID, Command: text, TriggerId: "trigger1",
			SiteURL: "http://localhost:8065", Session: model.Session{Id: "session1", UserId: userID,
				Props: map[string]string{"platform": "test"}}, UserMentions: map[string]string{"alice": "user2"}},
	}
	var ret plugin.Z_ExecuteCommandReturns
	err := h.client.Call("Plugin.ExecuteCommand", args, &ret)
	return ret.A, ret.B, float64(time.Since(start).Microseconds()) / 1000, err
}

type report struct {
	HandshakeMs   float64               `json:"handshake_ms"`
	Implemented   []string              `json:"implemented"`
	ActivateError string                `json:"activate_error"`
	ActivateMs    float64               `json:"activate_ms"`
	Commands      map[string]*cmdResult `json:"commands"`
	HTTP          map[string]httpResult `json:"http"`
	SentSha256    string                `json:"sent_sha256"`
	Ping          string                `json:"ping"`
	KillMs        float64               `json:"kill_ms"`
	Exited        bool                  `json:"exited"`
	API           *plugin.API           `json:"api"`
	Errors        []string              `json:"errors"`
}

type cmdResult struct {
	ResponseType string                 `json:"response_type"`
	Text         string                 `json:"text"`
	Props        map[string]interface{} `json:"props"`
	Error        string                 `json:"error"`
	Ms           float64                `json:"ms"`
	Samples      []float64              `json:"samples_ms"`
}

func main() {
	dir := flag.String("plugin", "", "plugin directory (with plugin.json)")
	probe := flag.Bool("probe", false, "also run the SDK probe command /probe")
	fixtures := flag.String("fixtures", "", "write gob fixtures to this directory and exit")
	check := flag.String("check", "", "decode the rust_*.hex fixtures in this directory and exit")
	commands := flag.String("commands", "/incident help", "comma-free list of commands, separated by ';'")
	rounds := flag.Int("rounds", 1, "repeat the command list this many times (benchmarks)")
	setup := flag.String("setup", "", "commands run once before the rounds, reported like the others")
	flag.Parse()
	switch {
	case *fixtures != "":
		writeFixtures(*fixtures)
		return
	case *check != "":
		checkFixtures(*check)
		return
	}
	rep := run(*dir, *probe, splitCommands(*setup), splitCommands(*commands), *rounds)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(rep)
}

func splitCommands(s string) []string {
	var out []string
	for _, c := range bytes.Split([]byte(s), []byte(";")) {
		if t := string(bytes.TrimSpace(c)); t != "" {
			out = append(out, t)
		}
	}
	return out
}

type manifest struct {
	Server struct {
		Executables map[string]string `json:"executables"`
		Executable  string            `json:"executable"`
	} `json:"server"`
}

func run(dir string, probe bool, setup, commands []string, rounds int) *report {
	rep := &report{Commands: map[string]*cmdResult{}, HTTP: map[string]httpResult{}, API: plugin.NewAPI()}
	fail := func(format string, args ...interface{}) {
		rep.Errors = append(rep.Errors, fmt.Sprintf(format, args...))
	}

	raw, err := ioutil.ReadFile(filepath.Join(dir, "plugin.json"))
	if err != nil {
		fail("reading plugin.json: %v", err)
		return rep
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		fail("parsing plugin.json: %v", err)
		return rep
	}
	exe := m.Server.Executables[runtime.GOOS+"-"+runtime.GOARCH]
	if exe == "" {
		fail("plugin.json has no server.executables[%s-%s]", runtime.GOOS, runtime.GOARCH)
		return rep
	}
	path := filepath.Join(dir, filepath.Clean(exe))
	sum, err := checksum(path)
	if err != nil {
		fail("checksum: %v", err)
		return rep
	}
	cmd := exec.Command(path) // no cmd.Dir: the server's working directory, as Mattermost does
	logger := hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: os.Stderr, Level: hclog.Debug})
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{ProtocolVersion: 1, MagicCookieKey: "MATTERMOST_PLUGIN",
			MagicCookieValue: "Securely message teams, anywhere."},
		Plugins:      map[string]goplugin.Plugin{"hooks": hooksPlugin{}},
		Cmd:          cmd,
		SyncStdout:   os.Stderr,
		SyncStderr:   os.Stderr,
		Logger:       logger,
		StartTimeout: 3 * time.Second,
		SecureConfig: &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()},
	})
	defer client.Kill()

	start := time.Now()
	rpcClient, err := client.Client()
	rep.HandshakeMs = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		fail("start: %v", err)
		return rep
	}
	dispensed, err := rpcClient.Dispense("hooks")
	if err != nil {
		fail("dispense: %v", err)
		return rep
	}
	h := dispensed.(*hooks)
	rep.API.World.Hooks = h.client
	if err := h.client.Call("Plugin.Implemented", struct{}{}, &rep.Implemented); err != nil {
		fail("Implemented: %v", err)
	}

	start = time.Now()
	apiID := h.broker.NextId()
	go h.broker.AcceptAndServe(apiID, rep.API)
	driverID := h.broker.NextId()
	go h.broker.AcceptAndServe(driverID, &plugin.Driver{})
	var act plugin.Z_OnActivateReturns
	if err := h.client.Call("Plugin.OnActivate", &plugin.Z_OnActivateArgs{APIMuxId: apiID, DriverMuxId: driverID}, &act); err != nil {
		fail("OnActivate call: %v", err)
	}
	rep.ActivateMs = float64(time.Since(start).Microseconds()) / 1000
	if act.A != nil {
		rep.ActivateError = fmt.Sprintf("%T: %v", act.A, act.A)
	}

	if probe {
		commands = append(commands, "/probe")
	}
	for i := -1; i < rounds; i++ {
		round := commands
		if i < 0 {
			round = setup
		}
		for _, c := range round {
			resp, appErr, ms, err := h.command(rep.API, c)
			r := &cmdResult{Ms: ms}
			if prev := rep.Commands[c]; prev != nil {
				r.Samples = prev.Samples
			}
			r.Samples = append(r.Samples, ms)
			if err != nil {
				r.Error = "rpc: " + err.Error()
			} else if appErr != nil {
				r.Error = fmt.Sprintf("%s (%d)", appErr.Id, appErr.StatusCode)
			}
			if resp != nil {
				r.ResponseType, r.Text, r.Props = resp.ResponseType, resp.Text, resp.Props
			}
			rep.Commands[c] = r
		}
	}

	big := bytes.Repeat([]byte("0123456789abcdef"), 200*1024/16)
	rep.SentSha256 = sha(big)
	for name, req := range map[string]struct {
		method, path string
		body         []byte
	}{
		"health":    {"GET", "/api/v0/health", nil},
		"post_200k": {"POST", "/api/v0/echo", big},
	} {
		res, err := h.serveHTTP(req.method, req.path, req.body)
		if err != nil {
			fail("ServeHTTP %s: %v", name, err)
		}
		rep.HTTP[name] = res
	}

	// With an incident in the store: bob joins its channel over REST. The plugin calls AddChannelMember, whose
	// handler calls the plugin's UserHasJoinedChannel hook (which calls the API again) before answering.
	// Then the channel hooks a server sends on its own: bob posts and leaves; another node's change arrives.
	if id := rep.API.FirstIncident(); id != "" {
		res, err := h.serveHTTPAs(plugin.BobID, "POST", "/api/v0/incidents/"+id+"/join", []byte{})
		if err != nil {
			fail("ServeHTTP join: %v", err)
		}
		rep.HTTP["join_bob"] = res
		h.channelHooks(rep.API, id, fail)
		for _, req := range []struct{ name, user, method, path string }{
			{"timeline", userID, "GET", "/api/v0/incidents/" + id + "/timeline"},
			{"review", userID, "GET", "/api/v0/incidents/" + id + "/review"},
			{"export", userID, "GET", "/api/v0/incidents/" + id + "/export?format=json"},
		} {
			res, err := h.serveHTTPAs(req.user, req.method, req.path, []byte{})
			if err != nil {
				fail("ServeHTTP %s: %v", req.name, err)
			}
			rep.HTTP[req.name] = res
		}
	}

	if err := rpcClient.Ping(); err != nil {
		rep.Ping = err.Error()
	} else {
		rep.Ping = "ok"
	}
	var deact plugin.Z_OnDeactivateReturns
	if err := h.client.Call("Plugin.OnDeactivate", &plugin.Z_OnDeactivateArgs{}, &deact); err != nil {
		fail("OnDeactivate: %v", err)
	}
	start = time.Now()
	client.Kill()
	rep.KillMs = float64(time.Since(start).Microseconds()) / 1000
	rep.Exited = client.Exited()
	return rep
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func checksum(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

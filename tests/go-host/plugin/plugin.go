// Package plugin is the test host's side of Mattermost's net/rpc plugin glue, written for this test
// from the protocol: the Z_ argument/return shapes, an in-memory API server served over the broker,
// and the ServeHTTP response-writer and body streams. Named plugin so gob registers
// *plugin.ErrorString as Mattermost does.
package plugin

import (
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"gohost/model"
)

func init() {
	gob.Register([]interface{}{})
	gob.Register(map[string]interface{}{})
	gob.Register(&model.AppError{})
	gob.Register(&ErrorString{})
}

// Context mirrors plugin.Context.
type Context struct {
	SessionId      string
	RequestId      string
	IPAddress      string
	AcceptLanguage string
	UserAgent      string
}

// ErrorString mirrors plugin.ErrorString.
type ErrorString struct {
	Code int
	Err  string
}

func (e ErrorString) Error() string { return e.Err }

// HTTPRequestSubset mirrors plugin.HTTPRequestSubset.
type HTTPRequestSubset struct {
	Method     string
	URL        *url.URL
	Proto      string
	ProtoMajor int
	ProtoMinor int
	Header     http.Header
	Host       string
	RemoteAddr string
	RequestURI string
	Body       io.ReadCloser
}

type Z_OnActivateArgs struct {
	APIMuxId    uint32
	DriverMuxId uint32
}
type Z_OnActivateReturns struct{ A error }
type Z_OnDeactivateArgs struct{}
type Z_OnDeactivateReturns struct{ A error }
type Z_ExecuteCommandArgs struct {
	A *Context
	B *model.CommandArgs
}
type Z_ExecuteCommandReturns struct {
	A *model.CommandResponse
	B *model.AppError
}
type Z_ServeHTTPArgs struct {
	ResponseWriterStream uint32
	Request              *HTTPRequestSubset
	Context              *Context
	RequestBodyStream    uint32
}
type Z_MessageHasBeenPostedArgs struct {
	A *Context
	B *model.Post
}
type Z_MessageHasBeenPostedReturns struct{}
type Z_OnPluginClusterEventArgs struct {
	A *Context
	B model.PluginClusterEvent
}

// API is an in-memory Mattermost API: enough of it for activation, commands and the SDK probe.
type API struct {
	mu       sync.Mutex
	Calls    []string
	KV       map[string][]byte
	Commands []string
	Bots     []string
	Posts    []model.Post
	Logs     []string
	Events   []string
	Config   string
	World    *World
}

func NewAPI() *API {
	return &API{KV: map[string][]byte{}, Config: `{"EnableThing":true}`, World: newWorld()}
}

func (a *API) note(name string) {
	a.mu.Lock()
	a.Calls = append(a.Calls, name)
	a.mu.Unlock()
}

func notFound(what string) *model.AppError {
	return &model.AppError{Id: "app.not_found", Message: what + " not found", StatusCode: 404, Where: "testhost"}
}

type Z_Args1S struct{ A string }
type Z_Args2SB struct {
	A string
	B []byte
}
type Z_ReturnsAppErr struct{ A *model.AppError }
type Z_ReturnsErr struct{ A error }
type Z_ReturnsBytesErr struct {
	A []byte
	B *model.AppError
}

func (a *API) KVGet(args *Z_Args1S, r *Z_ReturnsBytesErr) error {
	a.note("KVGet")
	a.mu.Lock()
	defer a.mu.Unlock()
	r.A = a.KV[args.A]
	return nil
}

func (a *API) KVSet(args *Z_Args2SB, r *Z_ReturnsAppErr) error {
	a.note("KVSet")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.KV[args.A] = args.B
	return nil
}

type Z_KVSetWithOptionsArgs struct {
	A string
	B []byte
	C model.PluginKVSetOptions
}
type Z_ReturnsBoolAppErr struct {
	A bool
	B *model.AppError
}

func (a *API) KVSetWithOptions(args *Z_KVSetWithOptionsArgs, r *Z_ReturnsBoolAppErr) error {
	a.note("KVSetWithOptions")
	a.mu.Lock()
	defer a.mu.Unlock()
	cur, ok := a.KV[args.A]
	if args.C.Atomic {
		if (args.C.OldValue == nil && ok) || (args.C.OldValue != nil && string(cur) != string(args.C.OldValue)) {
			r.A = false
			return nil
		}
	}
	if args.B == nil {
		delete(a.KV, args.A)
	} else {
		a.KV[args.A] = args.B
	}
	r.A = true
	return nil
}

func (a *API) KVDelete(args *Z_Args1S, r *Z_ReturnsAppErr) error {
	a.note("KVDelete")
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.KV, args.A)
	return nil
}

type Z_KVListArgs struct{ A, B int }
type Z_KVListReturns struct {
	A []string
	B *model.AppError
}

func (a *API) KVList(args *Z_KVListArgs, r *Z_KVListReturns) error {
	a.note("KVList")
	a.mu.Lock()
	defer a.mu.Unlock()
	for k := range a.KV {
		r.A = append(r.A, k)
	}
	sort.Strings(r.A)
	return nil
}

type Z_CommandArgs struct{ A *model.Command }

func (a *API) RegisterCommand(args *Z_CommandArgs, r *Z_ReturnsErr) error {
	a.note("RegisterCommand")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Commands = append(a.Commands, args.A.Trigger)
	return nil
}

type Z_BotArgs struct{ A *model.Bot }
type Z_EnsureBotUserReturns struct {
	A string
	B error
}

func (a *API) EnsureBotUser(args *Z_BotArgs, r *Z_EnsureBotUserReturns) error {
	a.note("EnsureBotUser")
	a.mu.Lock()
	defer a.mu.Unlock()
	if args.A.Username == "" {
		r.B = &ErrorString{Err: "a bot needs a username"}
		return nil
	}
	a.Bots = append(a.Bots, args.A.Username)
	r.A = "bot-" + args.A.Username
	return nil
}

type Z_LogArgs struct {
	A string
	B []interface{}
}
type Z_Empty struct{}

func (a *API) log(level string, args *Z_LogArgs) {
	a.note("Log" + level)
	parts := []string{level, args.A}
	for _, v := range args.B {
		parts = append(parts, fmt.Sprint(v))
	}
	a.mu.Lock()
	a.Logs = append(a.Logs, strings.Join(parts, " "))
	a.mu.Unlock()
}

func (a *API) LogDebug(args *Z_LogArgs, r *Z_Empty) error { a.log("Debug", args); return nil }
func (a *API) LogInfo(args *Z_LogArgs, r *Z_Empty) error  { a.log("Info", args); return nil }
func (a *API) LogWarn(args *Z_LogArgs, r *Z_Empty) error  { a.log("Warn", args); return nil }
func (a *API) LogError(args *Z_LogArgs, r *Z_Empty) error { a.log("Error", args); return nil }

type Z_LoadPluginConfigurationReturns struct{ A []byte }

func (a *API) LoadPluginConfiguration(args *Z_Empty, r *Z_LoadPluginConfigurationReturns) error {
	a.note("LoadPluginConfiguration")
	r.A = []byte(a.Config)
	return nil
}

type Z_PostArgs struct{ A *model.Post }
type Z_PostReturns struct {
	A *model.Post
	B *model.AppError
}

func (a *API) CreatePost(args *Z_PostArgs, r *Z_PostReturns) error {
	a.note("CreatePost")
	a.mu.Lock()
	defer a.mu.Unlock()
	p := *args.A
	p.Id = fmt.Sprintf("post%d", len(a.Posts)+1)
	p.CreateAt = 1700000000000
	a.Posts = append(a.Posts, p)
	r.A = &p
	return nil
}

type Z_EphemeralArgs struct {
	A string
	B *model.Post
}
type Z_EphemeralReturns struct{ A *model.Post }

func (a *API) SendEphemeralPost(args *Z_EphemeralArgs, r *Z_EphemeralReturns) error {
	a.note("SendEphemeralPost")
	p := *args.B
	p.Id = "ephemeral1"
	p.UserId = args.A
	r.A = &p
	return nil
}

type Z_ChannelReturns struct {
	A *model.Channel
	B *model.AppError
}

type Z_UserReturns struct {
	A *model.User
	B *model.AppError
}

type Z_PermissionArgs struct {
	A string
	B *model.Permission
}
type Z_BoolReturns struct{ A bool }

func (a *API) HasPermissionTo(args *Z_PermissionArgs, r *Z_BoolReturns) error {
	a.note("HasPermissionTo")
	r.A = args.A == "admin" && args.B != nil && args.B.Id == "manage_system"
	return nil
}

type Z_PublishWebSocketEventArgs struct {
	A string
	B map[string]interface{}
	C *model.WebsocketBroadcast
}

func (a *API) PublishWebSocketEvent(args *Z_PublishWebSocketEventArgs, r *Z_Empty) error {
	a.note("PublishWebSocketEvent")
	payload, _ := json.Marshal(args.B)
	a.mu.Lock()
	a.Events = append(a.Events, args.A+" "+string(payload)+" to "+args.C.ChannelId)
	a.mu.Unlock()
	return nil
}

// ResponseWriter is the net/rpc server behind Plugin.ServeHTTP's response-writer stream.
type ResponseWriter struct{ W http.ResponseWriter }

func (w *ResponseWriter) Header(args struct{}, reply *http.Header) error {
	*reply = w.W.Header()
	return nil
}

func (w *ResponseWriter) Write(args []byte, reply *struct{}) error {
	_, err := w.W.Write(args)
	return err
}

func (w *ResponseWriter) WriteHeader(args int, reply *struct{}) error {
	if args < 100 || args > 999 {
		return fmt.Errorf("invalid http status code %d", args)
	}
	w.W.WriteHeader(args)
	return nil
}

func (w *ResponseWriter) SyncHeader(args http.Header, reply *struct{}) error {
	dest := w.W.Header()
	for k := range dest {
		if _, ok := args[k]; !ok {
			delete(dest, k)
		}
	}
	for k, v := range args {
		dest[k] = v
	}
	return nil
}

// ServeBody answers the plugin's read requests (zig-zag varint counts) from r, closing at the end.
func ServeBody(r io.Reader, conn io.ReadWriteCloser) {
	defer conn.Close()
	buf := make([]byte, 32*1024)
	br := byteReader{conn}
	for {
		n, err := binary.ReadVarint(br)
		if err != nil {
			return
		}
		if written, err := io.CopyBuffer(conn, io.LimitReader(r, n), buf); err != nil || written < n {
			return
		}
	}
}

type byteReader struct{ r io.Reader }

func (b byteReader) ReadByte() (byte, error) {
	var one [1]byte
	_, err := io.ReadFull(b.r, one[:])
	return one[0], err
}

// Driver stands in for the database-driver server the host offers on DriverMuxId.
type Driver struct{}

func (d *Driver) Ping(args struct{}, reply *struct{}) error { return nil }

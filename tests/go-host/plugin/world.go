// The in-memory world behind the test host's API: users, one team, channels with members, posts. Enough of
// Mattermost's directory for the incident plugin's /incident start, info, check and end to run over net/rpc, with
// the same argument and return shapes (gob matches struct fields by name) as the server's generated RPC glue.
// Adding a channel member fires UserHasJoinedChannel back into the plugin *before* the API call returns, so a
// hook → API → hook re-entry is exercised on every start.
package plugin

import (
	"fmt"
	"net/rpc"
	"sort"
	"strings"

	"gohost/model"
)

// Seeded ids: the command user is alice; bob is another team member; the command channel is town-square.
const (
	AliceID   = "useraaaaaaaaaaaaaaaaaaaaaa"
	BobID     = "userbbbbbbbbbbbbbbbbbbbbbb"
	TeamID    = "teamaaaaaaaaaaaaaaaaaaaaaa"
	ChannelID = "chanaaaaaaaaaaaaaaaaaaaaaa"
)

// World is the directory state; guarded by API.mu.
type World struct {
	Users    map[string]*model.User
	Channels map[string]*model.Channel
	Members  map[string]map[string]bool // channel id → user ids
	// Hooks, when set, receives UserHasJoinedChannel / UserHasLeftChannel calls (the plugin's hook client).
	Hooks *rpc.Client `json:"-"`
	// Dialogs are the interactive dialogs the plugin opened.
	Dialogs []string
	// Reentered counts hooks fired from inside an API call that answered without error.
	Reentered []string
}

func newWorld() *World {
	w := &World{Users: map[string]*model.User{}, Channels: map[string]*model.Channel{}, Members: map[string]map[string]bool{}}
	for _, u := range []struct{ id, name, roles string }{
		{AliceID, "alice", "system_user"}, {BobID, "bob", "system_user"}, {"user1", "alice", "system_user"},
	} {
		w.Users[u.id] = &model.User{Id: u.id, Username: u.name, Email: u.name + "@example.com", Roles: u.roles,
			NotifyProps: map[string]string{"email": "true"}, Locale: "en"}
	}
	w.Channels[ChannelID] = &model.Channel{Id: ChannelID, TeamId: TeamID, Type: "O", DisplayName: "Town Square",
		Name: "town-square", Props: map[string]interface{}{"n": 1}}
	w.Members[ChannelID] = map[string]bool{AliceID: true, BobID: true}
	return w
}

func (a *API) userList(ids []string) []*model.User {
	var out []*model.User
	for _, id := range ids {
		if u, ok := a.World.Users[id]; ok {
			c := *u
			out = append(out, &c)
		}
	}
	return out
}

type Z_Args2S struct{ A, B string }
type Z_Args3SSB struct {
	A, B string
	C    bool
}
type Z_Args3SSS struct{ A, B, C string }
type Z_Args3SII struct {
	A    string
	B, C int
}
type Z_Args3SBB struct {
	A    string
	B, C []byte
}
type Z_Args3SBI struct {
	A string
	B []byte
	C int64
}
type Z_ArgsStrings struct{ A []string }
type Z_UsersReturns struct {
	A []*model.User
	B *model.AppError
}
type Z_TeamReturns struct {
	A *model.Team
	B *model.AppError
}
type Z_TeamsReturns struct {
	A []*model.Team
	B *model.AppError
}
type Z_TeamMemberReturns struct {
	A *model.TeamMember
	B *model.AppError
}
type Z_ChannelArgs struct{ A *model.Channel }
type Z_ChannelMemberReturns struct {
	A *model.ChannelMember
	B *model.AppError
}
type Z_ChannelMembersReturns struct {
	A []model.ChannelMember
	B *model.AppError
}
type Z_PermissionScopedArgs struct {
	A, B string
	C    *model.Permission
}
type Z_PostListReturns struct {
	A *PostList
	B *model.AppError
}

// PostList mirrors model.PostList (the parts the plugin reads).
type PostList struct {
	Order []string
	Posts map[string]*model.Post
}

func (a *API) GetUser(args *Z_Args1S, r *Z_UserReturns) error {
	a.note("GetUser")
	if users := a.lockedUsers([]string{args.A}); len(users) == 1 {
		r.A = users[0]
		return nil
	}
	r.B = notFound("user " + args.A)
	return nil
}

func (a *API) lockedUsers(ids []string) []*model.User {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.userList(ids)
}

func (a *API) GetUsersByIds(args *Z_ArgsStrings, r *Z_UsersReturns) error {
	a.note("GetUsersByIds")
	a.mu.Lock()
	defer a.mu.Unlock()
	r.A = a.userList(args.A)
	return nil
}

func (a *API) GetUserByUsername(args *Z_Args1S, r *Z_UserReturns) error {
	a.note("GetUserByUsername")
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, u := range a.World.Users {
		if u.Username == args.A && u.Id != "user1" {
			c := *u
			r.A = &c
			return nil
		}
	}
	r.B = notFound("user " + args.A)
	return nil
}

func (a *API) GetTeam(args *Z_Args1S, r *Z_TeamReturns) error {
	a.note("GetTeam")
	if args.A != TeamID {
		r.B = notFound("team " + args.A)
		return nil
	}
	r.A = &model.Team{Id: TeamID, DisplayName: "Dev", Name: "dev", Type: "O"}
	return nil
}

func (a *API) GetTeamsForUser(args *Z_Args1S, r *Z_TeamsReturns) error {
	a.note("GetTeamsForUser")
	r.A = []*model.Team{{Id: TeamID, DisplayName: "Dev", Name: "dev", Type: "O"}}
	return nil
}

func (a *API) GetTeamMember(args *Z_Args2S, r *Z_TeamMemberReturns) error {
	a.note("GetTeamMember")
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.World.Users[args.B]; !ok || args.A != TeamID {
		r.B = notFound("team member " + args.B)
		return nil
	}
	r.A = &model.TeamMember{TeamId: TeamID, UserId: args.B, Roles: "team_user"}
	return nil
}

func (a *API) getChannel(id string) (*model.Channel, *model.AppError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.World.Channels[id]; ok {
		cp := *c
		return &cp, nil
	}
	if id == "town-square" {
		cp := *a.World.Channels[ChannelID]
		cp.Id = id
		return &cp, nil
	}
	return nil, notFound("channel " + id)
}

func (a *API) GetChannel(args *Z_Args1S, r *Z_ChannelReturns) error {
	a.note("GetChannel")
	r.A, r.B = a.getChannel(args.A)
	return nil
}

func (a *API) GetChannelByName(args *Z_Args3SSB, r *Z_ChannelReturns) error {
	a.note("GetChannelByName")
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.World.Channels {
		if c.TeamId == args.A && c.Name == args.B && (args.C || c.DeleteAt == 0) {
			cp := *c
			r.A = &cp
			return nil
		}
	}
	r.B = notFound("channel " + args.B)
	return nil
}

func (a *API) CreateChannel(args *Z_ChannelArgs, r *Z_ChannelReturns) error {
	a.note("CreateChannel")
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.World.Channels {
		if c.TeamId == args.A.TeamId && c.Name == args.A.Name {
			r.B = &model.AppError{Id: "store.sql_channel.save_channel.exists.app_error", Message: "exists",
				StatusCode: 400, Where: "CreateChannel"}
			return nil
		}
	}
	c := *args.A
	c.Id = fmt.Sprintf("chan%022d", len(a.World.Channels))
	c.CreateAt = 1700000000000
	a.World.Channels[c.Id] = &c
	a.World.Members[c.Id] = map[string]bool{}
	cp := c
	r.A = &cp
	return nil
}

func (a *API) UpdateChannel(args *Z_ChannelArgs, r *Z_ChannelReturns) error {
	a.note("UpdateChannel")
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.World.Channels[args.A.Id]; !ok {
		r.B = notFound("channel " + args.A.Id)
		return nil
	}
	c := *args.A
	a.World.Channels[c.Id] = &c
	cp := c
	r.A = &cp
	return nil
}

// addMember adds and, outside the lock, fires UserHasJoinedChannel into the plugin before answering.
func (a *API) addMember(channel, user string, r *Z_ChannelMemberReturns) {
	a.mu.Lock()
	members, ok := a.World.Members[channel]
	u, known := a.World.Users[user]
	if !ok || !known {
		a.mu.Unlock()
		r.B = notFound("channel or user")
		return
	}
	added := !members[user]
	members[user] = true
	hooks := a.World.Hooks
	a.mu.Unlock()
	m := &model.ChannelMember{ChannelId: channel, UserId: user, Roles: "channel_user"}
	r.A = m
	if added && hooks != nil {
		var ret Z_Empty
		args := &Z_ChannelMemberHookArgs{A: &Context{RequestId: "join"}, B: m, C: u}
		if err := hooks.Call("Plugin.UserHasJoinedChannel", args, &ret); err == nil {
			a.mu.Lock()
			a.World.Reentered = append(a.World.Reentered, "UserHasJoinedChannel "+u.Username)
			a.mu.Unlock()
		}
	}
}

// Z_ChannelMemberHookArgs are UserHasJoinedChannel's and UserHasLeftChannel's arguments.
type Z_ChannelMemberHookArgs struct {
	A *Context
	B *model.ChannelMember
	C *model.User
}

func (a *API) AddChannelMember(args *Z_Args2S, r *Z_ChannelMemberReturns) error {
	a.note("AddChannelMember")
	a.addMember(args.A, args.B, r)
	return nil
}

func (a *API) AddUserToChannel(args *Z_Args3SSS, r *Z_ChannelMemberReturns) error {
	a.note("AddUserToChannel")
	a.addMember(args.A, args.B, r)
	return nil
}

func (a *API) DeleteChannelMember(args *Z_Args2S, r *Z_ReturnsAppErr) error {
	a.note("DeleteChannelMember")
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.World.Members[args.A], args.B)
	return nil
}

func (a *API) GetChannelMember(args *Z_Args2S, r *Z_ChannelMemberReturns) error {
	a.note("GetChannelMember")
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.World.Members[args.A][args.B] {
		r.B = notFound("channel member " + args.B)
		return nil
	}
	r.A = &model.ChannelMember{ChannelId: args.A, UserId: args.B, Roles: "channel_user"}
	return nil
}

func (a *API) memberIDs(channel string, page, perPage int) []string {
	var ids []string
	for id := range a.World.Members[channel] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	from, to := page*perPage, (page+1)*perPage
	if from > len(ids) {
		return nil
	}
	if to > len(ids) {
		to = len(ids)
	}
	return ids[from:to]
}

func (a *API) GetChannelMembers(args *Z_Args3SII, r *Z_ChannelMembersReturns) error {
	a.note("GetChannelMembers")
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, id := range a.memberIDs(args.A, args.B, args.C) {
		r.A = append(r.A, model.ChannelMember{ChannelId: args.A, UserId: id, Roles: "channel_user"})
	}
	return nil
}

func (a *API) GetUsersInChannel(args *Z_Args3SII, r *Z_UsersReturns) error {
	a.note("GetUsersInChannel")
	a.mu.Lock()
	defer a.mu.Unlock()
	r.A = a.userList(a.memberIDs(args.A, args.B, args.C))
	return nil
}

func (a *API) HasPermissionToTeam(args *Z_PermissionScopedArgs, r *Z_BoolReturns) error {
	a.note("HasPermissionToTeam")
	r.A = args.B == TeamID
	return nil
}

func (a *API) HasPermissionToChannel(args *Z_PermissionScopedArgs, r *Z_BoolReturns) error {
	a.note("HasPermissionToChannel")
	a.mu.Lock()
	defer a.mu.Unlock()
	r.A = a.World.Members[args.B][args.A]
	return nil
}

func (a *API) KVCompareAndSet(args *Z_Args3SBB, r *Z_ReturnsBoolAppErr) error {
	a.note("KVCompareAndSet")
	a.mu.Lock()
	defer a.mu.Unlock()
	cur, ok := a.KV[args.A]
	if (len(args.B) == 0 && ok) || (len(args.B) != 0 && string(cur) != string(args.B)) {
		return nil
	}
	a.KV[args.A] = args.C
	r.A = true
	return nil
}

func (a *API) KVCompareAndDelete(args *Z_Args2SB, r *Z_ReturnsBoolAppErr) error {
	a.note("KVCompareAndDelete")
	a.mu.Lock()
	defer a.mu.Unlock()
	if cur, ok := a.KV[args.A]; ok && string(cur) == string(args.B) {
		delete(a.KV, args.A)
		r.A = true
	}
	return nil
}

func (a *API) KVSetWithExpiry(args *Z_Args3SBI, r *Z_ReturnsAppErr) error {
	a.note("KVSetWithExpiry")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.KV[args.A] = args.B
	return nil
}

func (a *API) GetPost(args *Z_Args1S, r *Z_PostReturns) error {
	a.note("GetPost")
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range a.Posts {
		if a.Posts[i].Id == args.A {
			p := a.Posts[i]
			r.A = &p
			return nil
		}
	}
	r.B = notFound("post " + args.A)
	return nil
}

func (a *API) UpdatePost(args *Z_PostArgs, r *Z_PostReturns) error {
	a.note("UpdatePost")
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range a.Posts {
		if a.Posts[i].Id == args.A.Id {
			a.Posts[i].Message, a.Posts[i].Props = args.A.Message, args.A.Props
			p := a.Posts[i]
			r.A = &p
			return nil
		}
	}
	r.B = notFound("post " + args.A.Id)
	return nil
}

func (a *API) GetPostsForChannel(args *Z_Args3SII, r *Z_PostListReturns) error {
	a.note("GetPostsForChannel")
	a.mu.Lock()
	defer a.mu.Unlock()
	list := &PostList{Posts: map[string]*model.Post{}}
	for i := len(a.Posts) - 1; i >= 0; i-- {
		if p := a.Posts[i]; p.ChannelId == args.A {
			list.Order = append(list.Order, p.Id)
			list.Posts[p.Id] = &p
		}
	}
	r.A = list
	return nil
}

type Z_ClusterEventArgs struct {
	A model.PluginClusterEvent
	B ClusterSendOptions
}

// ClusterSendOptions mirrors model.PluginClusterEventSendOptions.
type ClusterSendOptions struct {
	SendType string
	TargetId string
}

func (a *API) PublishPluginClusterEvent(args *Z_ClusterEventArgs, r *Z_ReturnsErr) error {
	a.note("PublishPluginClusterEvent")
	return nil
}

// OpenDialogRequest mirrors model.OpenDialogRequest (the parts the report shows; gob skips the rest).
type OpenDialogRequest struct {
	TriggerId string
	URL       string
	Dialog    struct {
		CallbackId string
		Title      string
		State      string
		Elements   []struct{ Name, Type string }
	}
}

type Z_OpenDialogArgs struct{ A OpenDialogRequest }

// Dialogs lists the opened dialogs as "<title> <callback id> <element names…> <url>".
func (a *API) OpenInteractiveDialog(args *Z_OpenDialogArgs, r *Z_ReturnsAppErr) error {
	a.note("OpenInteractiveDialog")
	d := args.A.Dialog
	parts := []string{d.Title, d.CallbackId}
	for _, e := range d.Elements {
		parts = append(parts, e.Name)
	}
	a.mu.Lock()
	a.World.Dialogs = append(a.World.Dialogs, strings.Join(append(parts, args.A.URL), " "))
	a.mu.Unlock()
	return nil
}

// FirstIncident is the id of an incident record in the KV store ("" when there is none).
func (a *API) FirstIncident() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var keys []string
	for k := range a.KV {
		if strings.HasPrefix(k, "inc_") {
			keys = append(keys, strings.TrimPrefix(k, "inc_"))
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}

// ChannelNames lists the channels' names, for the report.
func (w *World) ChannelNames() []string {
	var out []string
	for _, c := range w.Channels {
		out = append(out, strings.TrimSpace(c.Name))
	}
	sort.Strings(out)
	return out
}

// Package model holds Mattermost-shaped types for the test host: the field names and kinds of
// server/public/model, written for this test (only the fields the plugin protocol needs). The package
// is named model so gob registers *model.AppError under the name Mattermost's server uses.
package model

// AppError mirrors model.AppError's exported fields.
type AppError struct {
	Id              string
	Message         string
	DetailedError   string
	RequestId       string
	StatusCode      int
	Where           string
	IsOAuth         bool
	SkipTranslation bool
}

func (e *AppError) Error() string { return e.Where + ": " + e.Message + ", " + e.DetailedError }

// Session is a nested struct the host sends inside CommandArgs; the plugin must skip it.
type Session struct {
	Id          string
	Token       string
	CreateAt    int64
	UserId      string
	Roles       string
	IsOAuth     bool
	Props       map[string]string
	TeamMembers []*TeamMember
}

type CommandArgs struct {
	UserId          string
	ChannelId       string
	TeamId          string
	RootId          string
	ParentId        string
	TriggerId       string
	Command         string
	SiteURL         string
	Session         Session
	UserMentions    map[string]string
	ChannelMentions map[string]string
}

type CommandResponse struct {
	ResponseType     string
	Text             string
	Username         string
	ChannelId        string
	IconURL          string
	Type             string
	Props            map[string]interface{}
	GotoLocation     string
	TriggerId        string
	SkipSlackParsing bool
	ExtraResponses   []*CommandResponse
}

type Post struct {
	Id            string
	CreateAt      int64
	UpdateAt      int64
	EditAt        int64
	DeleteAt      int64
	IsPinned      bool
	UserId        string
	ChannelId     string
	RootId        string
	OriginalId    string
	Message       string
	Type          string
	Props         map[string]interface{}
	Hashtags      string
	FileIds       []string
	PendingPostId string
	HasReactions  bool
	ReplyCount    int64
}

type Channel struct {
	Id          string
	CreateAt    int64
	UpdateAt    int64
	DeleteAt    int64
	TeamId      string
	Type        string
	DisplayName string
	Name        string
	Header      string
	Purpose     string
	CreatorId   string
	Props       map[string]interface{}
}

type ChannelMember struct {
	ChannelId    string
	UserId       string
	Roles        string
	LastViewedAt int64
	MsgCount     int64
	NotifyProps  map[string]string
}

type User struct {
	Id          string
	CreateAt    int64
	UpdateAt    int64
	DeleteAt    int64
	Username    string
	Email       string
	Nickname    string
	FirstName   string
	LastName    string
	Roles       string
	Props       map[string]string
	NotifyProps map[string]string
	Locale      string
	IsBot       bool
}

type Team struct {
	Id          string
	CreateAt    int64
	DeleteAt    int64
	DisplayName string
	Name        string
	Type        string
}

type TeamMember struct {
	TeamId   string
	UserId   string
	Roles    string
	DeleteAt int64
}

type Bot struct {
	UserId      string
	Username    string
	DisplayName string
	Description string
	OwnerId     string
	CreateAt    int64
}

type Command struct {
	Id               string
	CreatorId        string
	TeamId           string
	Trigger          string
	Method           string
	AutoComplete     bool
	AutoCompleteDesc string
	AutoCompleteHint string
	DisplayName      string
	Description      string
	URL              string
	PluginId         string
}

type PluginKVSetOptions struct {
	Atomic          bool
	OldValue        []byte
	ExpireInSeconds int64
}

type WebsocketBroadcast struct {
	OmitUsers map[string]bool
	UserId    string
	ChannelId string
	TeamId    string
}

type Permission struct {
	Id          string
	Name        string
	Description string
	Scope       string
}

type PluginClusterEvent struct {
	Id   string
	Data []byte
}

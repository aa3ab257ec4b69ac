//! The `Plugin` net/rpc service the host reaches through `Dispense("hooks")`, and go-plugin's
//! `Control`/`Dispenser` services on the control stream.
//!
//! Every call runs as its own task (the host calls hooks concurrently, and a hook may call the API,
//! which may call another hook). OnActivate follows Go's glue: dial the API and driver streams, call
//! the plugin's own OnConfigurationChange, then its OnActivate.

use super::api_client::NetRpcApi;
use super::broker::Broker;
use super::calls::{ErrorReturns, ExecuteCommandArgs, OnActivateArgs, ServeHttpArgs, Z0, Z2, Z3};
use super::gomodel::{
    GoAppError, GoChannelMember, GoClusterEvent, GoCommandResponse, GoContext, GoPost, GoUser, error_interface,
};
use super::http;
use super::rpc::{self, Args, Dispatch, Reply, Service, not_found, reply, run};
use super::yamux::Stream;
use crate::hooks::{Hook, Hooks};
use crate::model::{AppError, ClusterEvent};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// The hooks of one plugin, served over net/rpc.
pub struct HooksService<H> {
    hooks: Arc<H>,
    implemented: &'static [Hook],
    broker: Arc<Broker>,
    api: Arc<NetRpcApi>,
    max_body: usize,
    /// The idle database-driver stream, kept open so the host's Accept does not time out.
    driver: Mutex<Option<Stream>>,
}

impl<H: Hooks> HooksService<H> {
    pub fn new(hooks: Arc<H>, broker: Arc<Broker>, api: Arc<NetRpcApi>, max_body: usize) -> Arc<Self> {
        let implemented = hooks.implemented();
        Arc::new(Self { hooks, implemented, broker, api, max_body, driver: Mutex::new(None) })
    }

    fn has(&self, hook: Hook) -> bool {
        self.implemented.contains(&hook)
    }

    async fn on_activate(self: Arc<Self>, args: OnActivateArgs) -> Reply {
        let api = self.broker.dial(args.api_mux_id).await.map_err(|e| e.to_string())?;
        self.api.connect(rpc::Client::new(api));
        if args.driver_mux_id != 0 {
            match self.broker.dial(args.driver_mux_id).await {
                Ok(stream) => *self.driver.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(stream),
                Err(e) => tracing::warn!(error = %e, "could not reach the database driver stream (unused)"),
            }
        }
        if self.has(Hook::OnConfigurationChange)
            && let Err(e) = self.hooks.on_configuration_change().await
        {
            tracing::error!(error = %e, "OnConfigurationChange failed during activation");
        }
        let result = if self.has(Hook::OnActivate) { self.hooks.on_activate().await } else { Ok(()) };
        reply(ErrorReturns { a: result.err().and_then(error_interface) })
    }
}

fn unimplemented(hook: Hook) -> Dispatch {
    Dispatch::Fail(format!("Hook {} called but not implemented.", hook.name()))
}

/// Decodes the call's arguments or answers with the decoding error.
macro_rules! args {
    ($args:expr) => {
        match $args.decode() {
            Ok(a) => a,
            Err(e) => return Dispatch::Fail(e),
        }
    };
}

impl<H: Hooks> Service for HooksService<H> {
    fn dispatch(self: Arc<Self>, method: &str, args: &mut Args<'_>) -> Dispatch {
        let hook = match method {
            "Plugin.Implemented" => {
                let names: Vec<String> = self.implemented.iter().map(|h| h.name().to_owned()).collect();
                return run(async move { reply(names) });
            }
            "Plugin.OnActivate" => {
                let a: OnActivateArgs = args!(args);
                return run(self.on_activate(a));
            }
            "Plugin.OnDeactivate" => Hook::OnDeactivate,
            "Plugin.OnConfigurationChange" => Hook::OnConfigurationChange,
            "Plugin.ExecuteCommand" => Hook::ExecuteCommand,
            "Plugin.ServeHTTP" => Hook::ServeHttp,
            "Plugin.MessageHasBeenPosted" => Hook::MessageHasBeenPosted,
            "Plugin.UserHasJoinedChannel" => Hook::UserHasJoinedChannel,
            "Plugin.UserHasLeftChannel" => Hook::UserHasLeftChannel,
            "Plugin.OnPluginClusterEvent" => Hook::OnPluginClusterEvent,
            _ => return not_found(method),
        };
        if !self.has(hook) {
            return unimplemented(hook);
        }
        let hooks = self.hooks.clone();
        match hook {
            Hook::OnDeactivate => {
                run(
                    async move { reply(ErrorReturns { a: hooks.on_deactivate().await.err().and_then(error_interface) }) },
                )
            }
            Hook::OnConfigurationChange => run(async move {
                reply(ErrorReturns { a: hooks.on_configuration_change().await.err().and_then(error_interface) })
            }),
            Hook::ExecuteCommand => {
                let a: ExecuteCommandArgs = args!(args);
                run(async move {
                    let Some(command) = a.b else {
                        let e =
                            AppError::new("plugin.execute_command.no_args", "ExecuteCommand without arguments", 400);
                        return reply(Z2::<Option<GoCommandResponse>, _> { a: None, b: Some(GoAppError::from(e)) });
                    };
                    match hooks.execute_command(command.into()).await {
                        Ok(r) => reply(Z2 { a: Some(GoCommandResponse::from(r)), b: None::<GoAppError> }),
                        Err(e) => reply(Z2 { a: None::<GoCommandResponse>, b: Some(GoAppError::from(e)) }),
                    }
                })
            }
            Hook::ServeHttp => {
                let a: ServeHttpArgs = args!(args);
                let (broker, max_body) = (self.broker.clone(), self.max_body);
                run(async move { http::serve(&*hooks, &broker, a, max_body).await })
            }
            Hook::MessageHasBeenPosted => {
                let a: Z2<Option<GoContext>, Option<GoPost>> = args!(args);
                run(async move {
                    if let Some(post) = a.b {
                        hooks.message_has_been_posted(post.into()).await;
                    }
                    reply(Z0 {})
                })
            }
            Hook::UserHasJoinedChannel | Hook::UserHasLeftChannel => {
                let a: Z3<Option<GoContext>, Option<GoChannelMember>, Option<GoUser>> = args!(args);
                let joined = hook == Hook::UserHasJoinedChannel;
                run(async move {
                    if let Some(member) = a.b {
                        let actor = a.c.map(Into::into);
                        if joined {
                            hooks.user_has_joined_channel(member.into(), actor).await;
                        } else {
                            hooks.user_has_left_channel(member.into(), actor).await;
                        }
                    }
                    reply(Z0 {})
                })
            }
            Hook::OnPluginClusterEvent => {
                let a: Z2<Option<GoContext>, GoClusterEvent> = args!(args);
                run(async move {
                    hooks.on_plugin_cluster_event(ClusterEvent { id: a.b.id, data: a.b.data }).await;
                    reply(Z0 {})
                })
            }
            Hook::OnActivate => unimplemented(hook),
        }
    }
}

/// go-plugin's `Control` (Ping, Quit) and `Dispenser` (Dispense) on the control stream.
pub struct ControlService<H> {
    pub hooks: Arc<HooksService<H>>,
    pub broker: Arc<Broker>,
    pub quit: watch::Sender<bool>,
}

impl<H: Hooks> Service for ControlService<H> {
    fn dispatch(self: Arc<Self>, method: &str, args: &mut Args<'_>) -> Dispatch {
        match method {
            "Control.Ping" => run(async { reply(Z0 {}) }),
            "Control.Quit" => {
                let quit = self.quit.clone();
                Dispatch::RunThen(
                    Box::pin(async { reply(Z0 {}) }),
                    Box::new(move || {
                        let _ = quit.send(true);
                    }),
                )
            }
            "Dispenser.Dispense" => {
                let name: String = args!(args);
                if name != "hooks" {
                    return Dispatch::Fail(format!("unknown plugin type: {name}"));
                }
                let id = self.broker.next_id();
                let (broker, hooks) = (self.broker.clone(), self.hooks.clone());
                tokio::spawn(async move {
                    match broker.accept(id).await {
                        Ok(stream) => rpc::serve(stream, hooks).await,
                        Err(e) => tracing::error!(error = %e, "plugin dispense error: hooks"),
                    }
                });
                run(async move { reply(id) })
            }
            _ if method.starts_with("Control.") || method.starts_with("Dispenser.") => not_found(method),
            _ => Dispatch::Fail(format!("rpc: can't find service {method}")),
        }
    }
}

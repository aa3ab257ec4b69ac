//! `GET /api/v4/websocket`: pushes hub events to one user's connection, filtered by audience, with `seq`.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::require_user;
use crate::context::Shared;

pub async fn upgrade(State(shared): State<Arc<Shared>>, headers: HeaderMap, ws: WebSocketUpgrade) -> Response {
    match require_user(&shared, &headers, &Method::GET) {
        Ok(user_id) => ws.on_upgrade(move |socket| run(shared, user_id, socket)),
        Err(e) => e.into_response(),
    }
}

async fn run(shared: Arc<Shared>, user_id: String, mut socket: WebSocket) {
    let mut events = shared.events.subscribe();
    let mut seq: u64 = 0;
    let hello = json!({ "event": "hello", "data": { "server_version": "devhost" }, "broadcast": { "user_id": user_id }, "seq": seq });
    if socket.send(Message::Text(hello.to_string().into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            event = events.recv() => match event {
                Ok(event) => {
                    if !event.broadcast.reaches(&shared.store, &user_id) {
                        continue;
                    }
                    seq += 1;
                    let msg = json!({ "event": event.event, "data": event.data, "broadcast": event.broadcast, "seq": seq });
                    if socket.send(Message::Text(msg.to_string().into())).await.is_err() {
                        return;
                    }
                }
                Err(RecvError::Lagged(n)) => tracing::warn!(user_id, "websocket client lagged; {n} events dropped"),
                Err(RecvError::Closed) => return,
            },
        }
    }
}

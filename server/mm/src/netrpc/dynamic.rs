//! `any` values ⇄ JSON: props, websocket payloads and the server config arrive as Go interface values
//! (or dynamic structs) and leave as JSON; we send JSON back under Go's registered names.

use gobwire::{Dynamic, Interface, Type, Value, names};
use serde_json::{Map, Number, Value as Json};
use std::sync::Arc;

/// A JSON value as the Go `any` that `encoding/json` would have produced, with Go's registered
/// type names: `string`, `bool`, `int64`/`float64`, `[]interface {}`, `map[string]interface {}`.
pub fn json_to_interface(v: &Json) -> Option<Interface> {
    Some(match v {
        Json::Null => return None,
        Json::Bool(b) => Interface::bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Interface { name: names::INT64.into(), ty: Type::Int, value: Value::Int(i) },
            None => Interface::float64(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Interface::string(s.clone()),
        Json::Array(items) => Interface {
            name: names::ANY_SLICE.into(),
            ty: Type::Slice(Arc::new(Type::Interface)),
            value: Value::Slice(items.iter().map(|i| Value::Interface(json_to_interface(i).map(Box::new))).collect()),
        },
        Json::Object(map) => Interface {
            name: names::STRING_ANY_MAP.into(),
            ty: Type::Map(Arc::new(Type::String), Arc::new(Type::Interface)),
            value: Value::Map(
                map.iter()
                    .map(|(k, v)| (Value::String(k.clone()), Value::Interface(json_to_interface(v).map(Box::new))))
                    .collect(),
            ),
        },
    })
}

/// An interface value as JSON.
pub fn interface_to_json(i: &Interface) -> Json {
    value_to_json(&i.ty, &i.value, &mut Vec::new())
}

/// A dynamically decoded value (e.g. `*model.Config`) as JSON.
pub fn dynamic_to_json(d: &Dynamic) -> Json {
    value_to_json(&d.ty, &d.value, &mut Vec::new())
}

/// `structs` holds the enclosing struct types, innermost last, to resolve recursive references.
fn value_to_json(ty: &Type, value: &Value, structs: &mut Vec<Arc<gobwire::StructType>>) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Uint(u) => Json::from(*u),
        Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Complex(re, im) => Json::from(vec![Json::from(*re), Json::from(*im)]),
        Value::String(s) => Json::String(s.clone()),
        Value::Bytes(b) | Value::Marshaled(b) => Json::String(String::from_utf8_lossy(b).into_owned()),
        Value::Interface(None) => Json::Null,
        Value::Interface(Some(i)) => value_to_json(&i.ty, &i.value, &mut Vec::new()),
        Value::Slice(items) | Value::Array(items) => {
            let elem = match ty {
                Type::Slice(e) | Type::Array(e, _) => e.clone(),
                _ => Arc::new(Type::Interface),
            };
            Json::Array(items.iter().map(|v| value_to_json(&elem, v, structs)).collect())
        }
        Value::Map(pairs) => {
            let elem = match ty {
                Type::Map(_, e) => e.clone(),
                _ => Arc::new(Type::Interface),
            };
            let mut out = Map::new();
            for (k, v) in pairs {
                let key = match k {
                    Value::String(s) => s.clone(),
                    other => value_to_json(&Type::Interface, other, structs).to_string(),
                };
                out.insert(key, value_to_json(&elem, v, structs));
            }
            Json::Object(out)
        }
        Value::Struct(fields) => {
            let st = match ty {
                Type::Struct(st) => Some(st.clone()),
                Type::Ref(n) => structs.len().checked_sub(n + 1).and_then(|i| structs.get(i)).cloned(),
                _ => None,
            };
            let Some(st) = st else { return Json::Null };
            structs.push(st.clone());
            let mut out = Map::new();
            for ((name, fty), v) in st.fields.iter().zip(fields) {
                if let Some(v) = v {
                    out.insert(name.clone(), value_to_json(fty, v, structs));
                }
            }
            structs.pop();
            Json::Object(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_survives_a_gob_round_trip_as_go_any() {
        let v = json!({"s": "x", "n": 3, "f": 1.5, "b": true, "nil": null, "list": [1, "two", {"k": false}]});
        let i = json_to_interface(&v).unwrap();
        assert_eq!(i.name, "map[string]interface {}");
        let bytes = gobwire::Encoder::new().encode(&Some(i)).unwrap();
        let mut dec = gobwire::StreamDecoder::new(&bytes[..]);
        let back: Option<Interface> = dec.decode().unwrap().unwrap();
        assert_eq!(interface_to_json(&back.unwrap()), v);
    }
}

//! Nested objects must be objects. serde binds a JSON array to a struct by position
//! (`"prices": [["month1", "5.00"]]` would fill a price's fields in order), which the API
//! never means; the top level is refused in [`crate::json`], and this walks the body along
//! the request schema of the OpenAPI document to find an array where an object belongs.

use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayItems, Schema, SchemaType, Type};

type Named = BTreeMap<String, RefOr<Schema>>;

/// The path of the first array sent where `T`'s schema has an object (`prices[0]`).
pub fn list_for_object<T: ToSchema>(body: &Value) -> Option<String> {
    let mut named = Vec::new();
    T::schemas(&mut named);
    let named: Named = named.into_iter().collect();
    walk(&T::schema(), body, &named, "", 0)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(
    schema: &RefOr<Schema>,
    value: &Value,
    named: &Named,
    path: &str,
    depth: u8,
) -> Option<String> {
    if depth > 32 {
        return None;
    }
    let schema = match schema {
        RefOr::Ref(r) => {
            let name = r.ref_location.rsplit('/').next()?;
            return walk(named.get(name)?, value, named, path, depth + 1);
        }
        RefOr::T(s) => s,
    };
    match schema {
        Schema::Object(o) => {
            let is_object =
                !o.properties.is_empty() || matches!(o.schema_type, SchemaType::Type(Type::Object));
            match value {
                Value::Array(_) if is_object => Some(path.to_owned()),
                Value::Object(fields) => fields.iter().find_map(|(key, v)| {
                    let inner = o.properties.get(key)?;
                    walk(inner, v, named, &join(path, key), depth + 1)
                }),
                _ => None,
            }
        }
        Schema::Array(a) => match (value, &a.items) {
            (Value::Array(items), ArrayItems::RefOrSchema(item)) => items
                .iter()
                .enumerate()
                .find_map(|(i, v)| walk(item, v, named, &format!("{path}[{i}]"), depth + 1)),
            _ => None,
        },
        Schema::OneOf(one) => one
            .items
            .iter()
            .find_map(|s| walk(s, value, named, path, depth + 1)),
        Schema::AllOf(all) => all
            .items
            .iter()
            .find_map(|s| walk(s, value, named, path, depth + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::list_for_object;
    use serde_json::json;

    #[derive(utoipa::ToSchema)]
    #[allow(dead_code)]
    struct Price {
        period: String,
        price: String,
    }

    #[derive(utoipa::ToSchema)]
    #[allow(dead_code)]
    struct Plan {
        name: String,
        tags: Vec<String>,
        prices: Vec<Price>,
        first: Option<Price>,
    }

    #[test]
    fn a_list_where_an_object_belongs_is_found_by_its_path() {
        let ok = json!({"name": "a", "tags": ["x"], "prices": [{"period": "month1", "price": "5"}], "first": null});
        assert_eq!(list_for_object::<Plan>(&ok), None);
        let nested = json!({"name": "a", "tags": [], "prices": [{"period": "m", "price": "1"}, ["month1", "5"]]});
        assert_eq!(
            list_for_object::<Plan>(&nested).as_deref(),
            Some("prices[1]")
        );
        let optional = json!({"name": "a", "first": ["month1", "5"]});
        assert_eq!(list_for_object::<Plan>(&optional).as_deref(), Some("first"));
    }
}

//! Client-side input validation, exactly the checks botocore's `ParamValidator` makes before a
//! request is built: required members, `min` lengths of strings and lists, `min` values of
//! numbers, and for unions exactly one member (which the Rust types guarantee, except that a
//! value this SDK version does not know cannot be sent). Like botocore, no `max`, pattern or enum
//! checks: the service enforces those and may relax them.

use crate::error::ValidationError;

/// Implemented by generated code for every input shape that has something to check.
pub trait Validate {
    /// Reports every problem of `self` to `validator`.
    fn validate(&self, validator: &mut Validator);
}

/// Collects problems while walking an input, with the path to each member.
#[derive(Debug)]
pub struct Validator {
    operation: &'static str,
    path: Vec<String>,
    problems: Vec<(String, String)>,
}

impl Validator {
    fn problem(&mut self, member: &str, message: String) {
        let mut path = self.path.join("");
        if !member.is_empty() {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(member);
        }
        self.problems.push((path, message));
    }

    /// A required member must be set (`is_set` is `value.is_some()`, so that this is not
    /// generic over the member's type).
    pub fn required(&mut self, member: &str, is_set: bool) {
        if !is_set {
            self.problem(member, "is required but was not set".to_string());
        }
    }

    /// A string's length in characters (as Python's `len`) must be at least `min`.
    pub fn min_length(&mut self, member: &str, value: Option<&str>, min: usize) {
        if let Some(value) = value {
            let length = value.chars().count();
            if length < min {
                self.problem(
                    member,
                    format!("has length {length}, less than the minimum {min}"),
                );
            }
        }
    }

    /// A list must have at least `min` items.
    pub fn min_items<T>(&mut self, member: &str, value: Option<&[T]>, min: usize) {
        if let Some(value) = value
            && value.len() < min
        {
            self.problem(
                member,
                format!("has {} items, less than the minimum {min}", value.len()),
            );
        }
    }

    /// A number must be at least `min`.
    pub fn min_value(&mut self, member: &str, value: Option<f64>, min: f64) {
        if let Some(value) = value
            && value < min
        {
            self.problem(member, format!("is {value}, less than the minimum {min}"));
        }
    }

    /// A union value this SDK version received but does not know cannot be sent back.
    pub fn unknown_union_member(&mut self, member: &str, tag: &str) {
        self.problem(
            member,
            format!(
                "is a union member this SDK version does not know (`{tag}`) and cannot be sent"
            ),
        );
    }

    /// Validates a nested value under `member`. A thin generic shim over a non-generic body,
    /// so that each member type costs one call, not a copy of the walk.
    #[inline]
    pub fn nested<T: Validate>(&mut self, member: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.nested_dyn(member, value);
        }
    }

    fn nested_dyn(&mut self, member: &str, value: &dyn Validate) {
        self.enter(format!(".{member}"));
        value.validate(self);
        self.path.pop();
    }

    fn enter(&mut self, segment: String) {
        // The root has no leading dot.
        let segment = if self.path.is_empty() {
            segment.trim_start_matches('.').to_string()
        } else {
            segment
        };
        self.path.push(segment);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, validator: &mut Validator) {
        for (index, item) in self.iter().enumerate() {
            validator.item(&format_args!("[{index}]"), item);
        }
    }
}

impl<K: std::fmt::Debug, V: Validate> Validate for std::collections::BTreeMap<K, V> {
    fn validate(&self, validator: &mut Validator) {
        for (key, value) in self {
            validator.item(&format_args!("[{key:?}]"), value);
        }
    }
}

impl Validator {
    fn item(&mut self, segment: &std::fmt::Arguments<'_>, value: &dyn Validate) {
        self.enter(segment.to_string());
        value.validate(self);
        self.path.pop();
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, validator: &mut Validator) {
        (**self).validate(validator);
    }
}

/// Validates an operation's input; the error names the operation and every invalid member.
///
/// Not generic: it runs once per call and is shared by every operation of every service.
pub fn validate(operation: &'static str, input: &dyn Validate) -> Result<(), ValidationError> {
    let mut validator = Validator {
        operation,
        path: Vec::new(),
        problems: Vec::new(),
    };
    input.validate(&mut validator);
    let mut problems = validator.problems.into_iter();
    match problems.next() {
        None => Ok(()),
        Some((member, message)) => {
            let mut error = ValidationError::new(validator.operation, member, message);
            for (member, message) in problems {
                error.message.push_str(&format!("; {member} {message}"));
            }
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Inner {
        name: Option<String>,
    }
    impl Validate for Inner {
        fn validate(&self, v: &mut Validator) {
            v.required("name", self.name.is_some());
            v.min_length("name", self.name.as_deref(), 2);
        }
    }
    struct Input {
        id: Option<String>,
        tags: Option<Vec<Inner>>,
        limit: Option<i32>,
        inner: Option<Inner>,
    }
    impl Validate for Input {
        fn validate(&self, v: &mut Validator) {
            v.required("id", self.id.is_some());
            v.min_items("tags", self.tags.as_deref(), 1);
            v.nested("tags", self.tags.as_ref());
            v.min_value("limit", self.limit.map(f64::from), 1.0);
            v.nested("inner", self.inner.as_ref());
        }
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let input = Input {
            id: None,
            tags: Some(vec![
                Inner {
                    name: Some("ok".into()),
                },
                Inner { name: None },
            ]),
            limit: Some(0),
            inner: Some(Inner {
                name: Some("é".into()),
            }),
        };
        let error = validate("CreateThing", &input).unwrap_err();
        assert_eq!(error.operation, "CreateThing");
        assert_eq!(error.member, "id");
        assert_eq!(
            error.to_string(),
            "invalid input for CreateThing: id is required but was not set; \
             tags[1].name is required but was not set; limit is 0, less than the minimum 1; \
             inner.name has length 1, less than the minimum 2"
        );
    }

    #[test]
    fn valid_input_passes() {
        let input = Input {
            id: Some(String::new()),
            tags: None,
            limit: None,
            inner: None,
        };
        assert_eq!(validate("CreateThing", &input), Ok(()));
    }
}

//! The calls generated builders and `send` methods make instead of spelling the work out: every
//! broken value reported at once, with its reason, and error statuses returned as
//! `Error::ErrorResponse` with their status.

use codegen_runtime::{all_of_valid, all_valid, decode_as_error, decode_error, joined, with_reason, DecodeFailure};
use progenitor_client::{Error, ResponseValue};

fn response(status: u16, body: &'static str) -> reqwest::Response {
    let answer = http::Response::builder().status(status).header("x-request-id", "r-1").body(body).unwrap();
    reqwest::Response::from(answer)
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Problem {
    message: String,
}

#[derive(Debug, PartialEq)]
enum OperationError {
    NotFound(Problem),
}

#[test]
fn every_broken_value_is_named_together_and_none_passes() {
    let (team, body) = ("team_id: longer than 4 characters".to_string(), "body: missing `name`".to_string());
    type Given = (Result<u8, String>, Result<&'static str, String>, Result<bool, String>);
    let given: Given = (Err(team.clone()), Ok("x"), Err(body.clone()));
    match all_valid::<_, ()>(given) {
        Err(Error::InvalidRequest(message)) => {
            assert_eq!(message, "team_id: longer than 4 characters; body: missing `name`")
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    let given: (Result<u8, String>, Result<&str, String>) = (Ok(7), Ok("x"));
    assert_eq!(all_valid::<_, ()>(given).ok(), Some((7, "x")), "every value, in order");
    match all_of_valid::<()>(&[Some(&team), None, Some(&body)]) {
        Err(Error::InvalidRequest(message)) => {
            assert_eq!(message, "team_id: longer than 4 characters; body: missing `name`")
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    assert!(all_of_valid::<()>(&[None, None]).is_ok());
    assert_eq!(joined(&[None, Some(&team)]).as_deref(), Some("team_id: longer than 4 characters"));
    assert_eq!(joined(&[None]), None);
}

#[test]
fn a_setter_error_keeps_the_conversion_reason_after_its_context() {
    let refused: Result<u8, _> = u8::try_from(300_i32);
    assert_eq!(
        with_reason(refused, "conversion to `u8` for limit failed"),
        Err("conversion to `u8` for limit failed: out of range integral type conversion attempted".to_string())
    );
    assert_eq!(with_reason(u8::try_from(7_i32), "unused"), Ok(7));
}

#[tokio::test]
async fn an_error_status_decodes_into_its_variant_with_status_and_headers() {
    let answer: Result<ResponseValue<()>, Error<OperationError>> =
        decode_error(response(404, r#"{"message":"no such team"}"#), OperationError::NotFound).await;
    match answer {
        Err(Error::ErrorResponse(value)) => {
            assert_eq!(value.status(), 404);
            assert_eq!(value.headers()["x-request-id"], "r-1");
            assert_eq!(value.into_inner(), OperationError::NotFound(Problem { message: "no such team".into() }));
        }
        other => panic!("expected the documented error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_error_body_that_does_not_decode_is_returned_whole_with_where_it_failed() {
    let answer: Result<ResponseValue<()>, Error<Problem>> = decode_as_error(response(422, r#"{"message":7}"#)).await;
    match answer {
        Err(Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status(), 422);
            let failure = response.extensions().get::<DecodeFailure>().cloned().expect("the failure is kept");
            assert_eq!(failure.path, "message");
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
    let answer: Result<ResponseValue<()>, Error<Problem>> = decode_as_error(response(422, r#"{"message":"x"}"#)).await;
    assert!(matches!(answer, Err(Error::ErrorResponse(value)) if value.status() == 422 && value.message == "x"));
}

//! The calls generated builders and `send` methods make instead of spelling the work out: every
//! broken value reported at once, with its reason, and error statuses returned as
//! `Error::ErrorResponse` with their status.

// The error type keeps a whole response in one variant, by design: the closures given to
// `respond` return it.
#![allow(clippy::result_large_err)]

use codegen_runtime::{
    all_of_valid, all_valid, decode_as_error, decode_error, decoded, decoded_as_error, decoded_error, joined, respond,
    with_reason, BodyExcerpt, DecodeFailure,
};
use codegen_runtime::{Error, ResponseValue};

fn response(status: u16, body: &'static str) -> reqwest::Response {
    let answer = http::Response::builder().status(status).header("x-request-id", "r-1").body(body).unwrap();
    reqwest::Response::from(answer)
}

#[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
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
async fn a_decoded_error_keeps_the_body_as_sent_with_what_its_schema_does_not_describe() {
    let sent = r#"{"message":"no such team","detail":"team 7 was deleted","trace":"t-9"}"#;
    let read = respond(Ok(async { Ok(response(404, sent)) }), |response| {
        decoded_error::<Problem, _, ()>(response, OperationError::NotFound)
    });
    let answers = [
        decode_error::<Problem, _, ()>(response(404, sent), OperationError::NotFound).await,
        read.await,
        decode_as_error::<Problem, ()>(response(404, sent)).await.map_err(|e| match e {
            Error::ErrorResponse(value) => Error::ErrorResponse(value.map_inner(OperationError::NotFound)),
            other => panic!("expected the documented error, got {:?}", other.into_untyped()),
        }),
    ];
    for answer in answers {
        let Err(Error::ErrorResponse(value)) = answer else { panic!("expected the documented error") };
        assert_eq!(value.raw_body(), Some(sent.as_bytes()), "the body as the server sent it");
        assert_eq!(value.body_excerpt().as_deref(), Some(sent));
        let untyped = Error::ErrorResponse(value).into_untyped();
        let Error::ErrorResponse(value) = untyped else { panic!("still an error response") };
        assert_eq!(value.raw_body(), Some(sent.as_bytes()), "kept when the type is dropped");
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

/// What a generated `send` that is not `async` does: the exchange, then a status match that
/// awaits nothing.
async fn respond_to(status: u16, body: &'static str) -> Result<ResponseValue<Problem>, Error<OperationError>> {
    let exchange = async move { Ok(response(status, body)) };
    respond(Ok::<_, Error<OperationError>>(exchange), |response| match response.status().as_u16() {
        200 => decoded(response),
        204 => {
            Ok(ResponseValue::new(Problem { message: "empty".into() }, response.status(), response.headers().clone()))
        }
        404 => decoded_error(response, OperationError::NotFound),
        _ => Err(Error::UnexpectedResponse(response)),
    })
    .await
}

#[tokio::test]
async fn a_response_read_whole_decodes_without_awaiting_per_status() {
    let ok = respond_to(200, r#"{"message":"hello"}"#).await.expect("a documented success");
    assert_eq!((ok.status().as_u16(), ok.headers()["x-request-id"].to_str().ok()), (200, Some("r-1")));
    assert_eq!(ok.into_inner(), Problem { message: "hello".into() });
    match respond_to(404, r#"{"message":"no such team"}"#).await {
        Err(Error::ErrorResponse(value)) => {
            assert_eq!(value.status(), 404);
            assert_eq!(value.into_inner(), OperationError::NotFound(Problem { message: "no such team".into() }));
        }
        other => panic!("expected the documented error, got {other:?}"),
    }
    // An undocumented status comes back whole, its body readable in errors.
    match respond_to(500, "upstream timed out").await {
        Err(Error::UnexpectedResponse(response)) => {
            assert_eq!(response.status(), 500);
            assert_eq!(response.body_excerpt().as_deref(), Some("upstream timed out"));
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
    match respond_to(200, r#"{"message":7}"#).await {
        Err(Error::UnexpectedResponse(response)) => {
            assert_eq!(response.decode_failure().map(|f| f.path.as_str()), Some("message"));
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_that_could_not_be_built_is_not_sent() {
    let answer: Result<ResponseValue<()>, Error<()>> =
        respond(Err::<std::future::Ready<_>, _>(Error::InvalidRequest("limit: above 100".into())), |_| {
            unreachable!("no response without a request")
        })
        .await;
    assert!(matches!(answer, Err(Error::InvalidRequest(message)) if message == "limit: above 100"));
}

#[test]
fn a_body_not_read_is_an_error_that_says_so_not_a_wrong_decode() {
    let answer: Result<ResponseValue<()>, Error<Problem>> = decoded_as_error(response(422, r#"{"message":"x"}"#));
    match answer {
        Err(Error::Custom(message)) => assert!(message.contains("not read"), "{message}"),
        other => panic!("expected a custom error, got {other:?}"),
    }
}

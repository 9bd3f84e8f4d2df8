//! What each attempt is sent through: the `reqwest::Client`, after the caller's middleware
//! (feature `middleware`: any [`reqwest_middleware::Middleware`], which sees the final request of
//! each attempt, credentials included, and its response), or a test double instead of the
//! network (feature `test-double`, [`super::TestDouble`]).

use super::Error;

use super::config::ClientConfig;

/// Why an attempt got no response.
#[derive(Debug)]
pub enum Failure {
    /// The HTTP client's error: connecting, a time limit, the body.
    Http(reqwest::Error),
    /// A middleware's error, or a test double with no answer.
    Other(String),
}

impl Failure {
    /// The error a call returns for it: `CommunicationError` for the HTTP client's, `Custom`
    /// for the others.
    pub fn into_error<E>(self) -> Error<E> {
        match self {
            Failure::Http(error) => Error::CommunicationError(error),
            Failure::Other(message) => Error::Custom(message),
        }
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Failure::Http(error) if error.is_timeout())
    }

    /// Whether another attempt may succeed: a connection that failed or broke, a time limit.
    pub fn is_transient(&self) -> bool {
        let Failure::Http(error) = self else { return false };
        if error.is_connect() || error.is_timeout() || error.is_request() {
            return true;
        }
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
                if matches!(io.kind(), ConnectionRefused | ConnectionReset | ConnectionAborted) {
                    return true;
                }
            }
            source = cause.source();
        }
        false
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Http(error) => write!(f, "{error}"),
            Failure::Other(message) => f.write_str(message),
        }
    }
}

/// The caller's middleware, in the order added (feature `middleware`).
#[cfg(feature = "middleware")]
#[derive(Clone, Default)]
pub struct Layers(pub Vec<std::sync::Arc<dyn reqwest_middleware::Middleware>>);

#[cfg(feature = "middleware")]
impl std::fmt::Debug for Layers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} middleware", self.0.len())
    }
}

/// Sends one attempt of `operation_id`'s request.
///
/// # Errors
/// Why no response came, as [`Failure`] says.
pub async fn send(
    client: &reqwest::Client,
    config: &ClientConfig,
    operation_id: &str,
    request: reqwest::Request,
) -> Result<reqwest::Response, Failure> {
    #[cfg(feature = "test-double")]
    if let Some(double) = &config.test_double {
        return double.answer_to(operation_id, request);
    }
    #[cfg(feature = "middleware")]
    if !config.middleware.0.is_empty() {
        let chain = reqwest_middleware::ClientWithMiddleware::new(client.clone(), config.middleware.0.clone());
        return chain.execute(request).await.map_err(|error| match error {
            reqwest_middleware::Error::Reqwest(error) => Failure::Http(error),
            reqwest_middleware::Error::Middleware(error) => Failure::Other(format!("{operation_id}: {error:#}")),
        });
    }
    let _ = (config, operation_id);
    client.execute(request).await.map_err(Failure::Http)
}

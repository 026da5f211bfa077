//! The client-side rate limit on every request to a cluster (`[kubernetes] qps` and `burst`),
//! a token bucket as client-go's: `burst` requests may go at once, then `qps` a second. It
//! sits in the client's service stack, so watches' (re)starts, lists' pages, log reads,
//! metrics polls and actions all wait on the same bucket. A 429's Retry-After is kube's
//! retry layer's to honour (inside this one: a retry does not take a second token).
//!
//! The defaults are client-go's controller figures, 50 a second with bursts of 100, not
//! kubectl's older 5/10: the first lists of a 10,000-pod cluster are ~40 requests (pages of
//! 500), which 5 a second would stretch to seconds before the cockpit is whole, while 50 a
//! second still caps a runaway loop at 3,000 requests a minute.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, Sleep};
use tower::{BoxError, Layer, Service};

pub const DEFAULT_QPS: f64 = 50.0;
pub const DEFAULT_BURST: u32 = 100;

/// Tokens refilled at `qps` a second up to `burst`.
#[derive(Debug)]
pub struct Bucket {
    qps: f64,
    burst: f64,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// A full bucket. A rate below one request a minute is taken as that (no limit of zero).
    pub fn new(qps: f64, burst: u32, now: Instant) -> Bucket {
        let burst = f64::from(burst.max(1));
        Bucket {
            qps: qps.max(1.0 / 60.0),
            burst,
            tokens: burst,
            at: now,
        }
    }

    /// Takes a token, or says how long until there is one.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.qps).min(self.burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.qps))
        }
    }
}

#[derive(Clone)]
pub struct RateLimitLayer {
    bucket: Arc<Mutex<Bucket>>,
}

impl RateLimitLayer {
    pub fn new(qps: f64, burst: u32) -> RateLimitLayer {
        RateLimitLayer {
            bucket: Arc::new(Mutex::new(Bucket::new(qps, burst, Instant::now()))),
        }
    }
}

impl<S> Layer<S> for RateLimitLayer {
    type Service = RateLimited<S>;

    fn layer(&self, inner: S) -> RateLimited<S> {
        RateLimited {
            inner,
            bucket: self.bucket.clone(),
            wait: None,
            granted: false,
        }
    }
}

/// A service that is ready only once the bucket has a token for the next request. The
/// client's buffer queues requests behind it, in order.
pub struct RateLimited<S> {
    inner: S,
    bucket: Arc<Mutex<Bucket>>,
    wait: Option<Pin<Box<Sleep>>>,
    granted: bool,
}

impl<S, R> Service<R> for RateLimited<S>
where
    S: Service<R>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        while !self.granted {
            if let Some(wait) = self.wait.as_mut() {
                if wait.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                self.wait = None;
            }
            let taken = self
                .bucket
                .lock()
                .expect("not poisoned")
                .take(Instant::now());
            match taken {
                Ok(()) => self.granted = true,
                Err(wait) => self.wait = Some(Box::pin(tokio::time::sleep(wait))),
            }
        }
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: R) -> Self::Future {
        self.granted = false;
        let answer = self.inner.call(request);
        Box::pin(async move { answer.await.map_err(Into::into) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[test]
    fn a_bucket_lets_a_burst_through_then_the_rate() {
        let start = Instant::now();
        let mut bucket = Bucket::new(2.0, 3, start);
        for _ in 0..3 {
            assert_eq!(bucket.take(start), Ok(()));
        }
        assert_eq!(bucket.take(start), Err(Duration::from_millis(500)));
        assert_eq!(bucket.take(start + Duration::from_millis(500)), Ok(()));
        // A long quiet refills to the burst, no further.
        let later = start + Duration::from_secs(60);
        for _ in 0..3 {
            assert_eq!(bucket.take(later), Ok(()));
        }
        assert!(bucket.take(later).is_err());
    }

    #[tokio::test]
    async fn requests_beyond_the_burst_wait_for_the_rate() {
        let layer = RateLimitLayer::new(50.0, 5);
        let mut service = layer.layer(tower::service_fn(|_: ()| async {
            Ok::<_, std::convert::Infallible>(Instant::now())
        }));
        let start = Instant::now();
        let mut sent = Vec::new();
        for _ in 0..15 {
            sent.push(service.ready().await.unwrap().call(()).await.unwrap() - start);
        }
        // Five at once, then one each 20 ms: the fifteenth 200 ms after the first.
        assert!(sent[4] < Duration::from_millis(15), "{:?}", sent[4]);
        assert!(sent[5] >= Duration::from_millis(19), "{:?}", sent[5]);
        assert!(sent[14] >= Duration::from_millis(199), "{:?}", sent[14]);
        assert!(sent[14] < Duration::from_secs(2), "{:?}", sent[14]);
    }
}

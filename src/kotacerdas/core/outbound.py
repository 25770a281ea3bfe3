"""Sending to the outside world (webhooks, MQTT brokers) for the durable outboxes: NGSI-LD notifications and
alert deliveries. Every failure becomes a `DeliveryError` with a short reason; callers retry (`backoff`)."""

from __future__ import annotations

import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from datetime import timedelta


class DeliveryError(Exception):
    """The receiver did not accept a message."""


def backoff(attempts: int) -> timedelta:
    """Exponential back-off: 1 s, 2 s, 4 s, ... at most an hour."""
    return timedelta(seconds=min(2 ** max(attempts - 1, 0), 3600))


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> None:
    """POST the body; anything but a 2xx answer in time is a DeliveryError."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if response.status >= 300:
                raise DeliveryError(f"HTTP {response.status}")
    except DeliveryError:
        raise
    except Exception as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc


def publish_mqtt(uri: str, message: bytes, timeout: float, default_topic: str) -> None:
    """Publish with QoS 1 to mqtt://[user:password@]host[:port]/topic and wait for the broker's PUBACK."""
    import paho.mqtt.client as mqtt

    parts = urllib.parse.urlsplit(uri)
    topic = parts.path.lstrip("/") or default_topic
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"kotacerdas-{uuid.uuid4().hex[:12]}")
    if parts.username:
        client.username_pw_set(
            urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
        )
    try:
        client.connect(parts.hostname or "localhost", parts.port or 1883, keepalive=10)
        client.loop_start()
        info = client.publish(topic, message, qos=1)
        info.wait_for_publish(timeout=timeout)
        if not info.is_published():
            raise DeliveryError(f"the MQTT broker did not acknowledge the message on {topic}")
    except DeliveryError:
        raise
    except Exception as exc:
        raise DeliveryError(f"MQTT {type(exc).__name__}: {exc}") from exc
    finally:
        client.loop_stop()
        client.disconnect()

"""A `google.rpc.Status` message for OTLP/HTTP error bodies.

googleapis-common-protos is not a dependency, so the message is declared here
through protobuf's descriptor API, in a private pool that cannot clash with the
real definition if that package is installed too. It carries the `code` and
`message` fields only; `details` is never sent, and the wire format is the same.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import Message

# google.rpc.Code values used by the receiver.
INVALID_ARGUMENT = 3
NOT_FOUND = 5
RESOURCE_EXHAUSTED = 8
UNAVAILABLE = 14
UNIMPLEMENTED = 12


def _build_status_class() -> type[Message]:
    fdp = descriptor_pb2.FileDescriptorProto(
        name="view/google_rpc_status.proto", package="google.rpc", syntax="proto3"
    )
    msg = fdp.message_type.add(name="Status")
    scalar = descriptor_pb2.FieldDescriptorProto
    msg.field.add(
        name="code", number=1, type=scalar.TYPE_INT32, label=scalar.LABEL_OPTIONAL
    )
    msg.field.add(
        name="message", number=2, type=scalar.TYPE_STRING, label=scalar.LABEL_OPTIONAL
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(
        pool.FindMessageTypeByName("google.rpc.Status")
    )


Status = _build_status_class()

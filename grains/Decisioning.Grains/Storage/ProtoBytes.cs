using Google.Protobuf;

namespace Decisioning.Grains.Storage;

internal static class ProtoBytes
{
    /// <summary>
    /// The message's bytes, written straight into the array that holds them: <see
    /// cref="MessageExtensions.ToByteArray"/> also allocates a <see cref="CodedOutputStream"/> per call.
    /// </summary>
    public static byte[] ToBytes(this IMessage message)
    {
        var bytes = new byte[message.CalculateSize()];
        message.WriteTo(bytes.AsSpan());
        return bytes;
    }
}

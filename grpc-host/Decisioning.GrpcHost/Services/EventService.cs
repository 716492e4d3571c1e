using Decisioning.Contracts;
using Decisioning.Domain;
using Decisioning.Grains.Events;
using Decisioning.GrpcHost.Errors;
using Decisioning.GrpcHost.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static Decisioning.GrpcHost.Services.RequestValidator;
using V1 = Decisioning.Contracts.V1;

namespace Decisioning.GrpcHost.Services;

/// <summary>
/// decisioning.v1.EventService: the partition streams from a cursor, polled every
/// <see cref="EventOptions.PollInterval"/> while there is nothing new (at once while there is),
/// each event delivered with the cursor just after it. Events of one enterprise are in one
/// partition, read in stream order: they arrive in journal order. A caller naming enterprises gets
/// only theirs (and only their partitions are read); the caller interceptor has checked that it
/// serves each, or, naming none, all of them. The first message carries only the cursor the
/// subscription starts at.
/// </summary>
public sealed class EventService(EventReader reader, RequestValidator validator, IOptions<EventOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime)
    : V1.EventService.EventServiceBase
{
    [RequiredScope(Scopes.Events)]
    public override async Task Subscribe(V1.SubscribeRequest request, IServerStreamWriter<V1.SubscribeResponse> responseStream, ServerCallContext context)
    {
        try
        {
            await Stream(request, responseStream, context);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new DecisioningException([new DomainError(ErrorReasons.StorageUnavailable, "the event streams could not be read: subscribe again with the last cursor")]);
        }
    }

    private async Task Stream(V1.SubscribeRequest request, IServerStreamWriter<V1.SubscribeResponse> responseStream, ServerCallContext context)
    {
        var streams = reader.Streams;
        Require(Enterprises(request));
        var cursor = request.Cursor.Length == 0 ? null : EventCursor.Decode(request.Cursor, streams.Count);
        if (request.Cursor.Length > 0 && cursor is null)
        {
            Require(DomainError.Invalid("cursor", ErrorReasons.CursorInvalid, "is not a cursor this service gave for its event partitions"));
        }

        HashSet<string>? only = request.EnterpriseIds.Count == 0 ? null : new(request.EnterpriseIds, StringComparer.Ordinal);
        int[] partitions = only is null ? [.. Enumerable.Range(0, streams.Count)] : [.. only.Select(streams.PartitionOf).Distinct().Order()];
        if (cursor is null)
        {
            cursor = await reader.StartAsync(request.FromOldest);
        }
        else if (await reader.FirstTrimmedAsync(cursor, partitions) is { } trimmed)
        {
            Require(new DomainError(ErrorReasons.EventsTrimmed, $"cursor: events of partition {trimmed} after it were trimmed (retention)", "cursor"));
        }

        // A subscription lasts until the caller goes, or the service stops: then it ends at once
        // (UNAVAILABLE; the caller resubscribes with its cursor) instead of holding the stop up.
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var stopping = ends.Token;

        // First, the position it starts at, without an event: a caller cut off before any event
        // resumes from there instead of from a later "now", and misses nothing in between.
        await responseStream.WriteAsync(new V1.SubscribeResponse { Cursor = cursor.Encode() }, stopping);
        while (true)
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "the service is stopping: subscribe again with the last cursor"));
            }

            var (events, more) = await reader.ReadAsync(cursor, partitions, options.Value.ReadBatch);
            foreach (var stored in events)
            {
                cursor.Advance(stored.Partition, stored.Position);
                if (only is null || only.Contains(stored.Event.EnterpriseId))
                {
                    await responseStream.WriteAsync(new V1.SubscribeResponse { Event = Mapping.ToLineEvent(stored.Event), Cursor = cursor.Encode() }, stopping);
                }
            }

            if (!more)
            {
                try
                {
                    await Task.Delay(options.Value.PollInterval, clock, stopping);
                }
                catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
                {
                    // The service is stopping: answered at the top of the loop.
                }
            }
        }
    }

    /// <summary>The enterprises named, each a valid code (whether the caller serves them was checked before).</summary>
    private List<DomainError> Enterprises(V1.SubscribeRequest request)
    {
        var errors = new List<DomainError>();
        if (request.EnterpriseIds.Count > Limits.MaxSubscribedEnterprises)
        {
            errors.Add(DomainError.Invalid("enterprise_ids", ErrorReasons.TooManyEnterprises, $"names {request.EnterpriseIds.Count} enterprises; at most {Limits.MaxSubscribedEnterprises}"));
            return errors;
        }

        for (var i = 0; i < request.EnterpriseIds.Count; i++)
        {
            if (validator.EnterpriseId(request.EnterpriseIds[i]) is { } invalid)
            {
                var field = $"enterprise_ids[{i}]";
                errors.Add(invalid with { Field = field, Message = field + invalid.Message["enterprise_id".Length..] });
            }
        }

        return errors;
    }
}

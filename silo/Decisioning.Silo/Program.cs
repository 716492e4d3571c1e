using Decisioning.Grains.Hosting;
using Decisioning.Simulations;
using Decisioning.Telemetry;
using Microsoft.AspNetCore.Builder;

// Settings are read from beside the binary, whatever the working directory.
var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var telemetry = TelemetryOptions.From(plain.Configuration);

// A silo serves HTTP only for its metrics and dashboard ports; without them it listens on no HTTP port at all.
IHostApplicationBuilder builder = telemetry.ServesHttp
    ? WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory })
    : plain;
builder.UseOrleans(silo =>
{
    silo.AddDecisioningSilo(builder.Configuration).AddDecisioningTelemetry(telemetry);
    if (builder.Configuration.GetValue<bool>($"{DecisioningClusterOptions.Section}:{nameof(DecisioningClusterOptions.Kubernetes)}"))
    {
        // The pod's name, namespace and address replace the endpoint settings, and silos whose pods
        // are gone are declared dead without waiting for probes (deploy/kubernetes/).
        silo.UseKubernetesHosting();
    }
});
builder.Services.AddExternalDataProviders(builder.Configuration);
builder.AddDecisioningTelemetry("decisioning-silo");
if (builder is WebApplicationBuilder web)
{
    var app = web.Build();
    app.UseDecisioningTelemetry();
    app.Run();
}
else
{
    plain.Build().Run();
}

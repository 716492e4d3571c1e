using Decisioning.GrpcHost.Hosting;

// Settings are read from beside the binary, whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddDecisioningGrpc();

var app = builder.Build();
app.MapDecisioningGrpc();
app.Run();

/// <summary>The entry point, visible to the end-to-end tests' host factory.</summary>
public partial class Program;

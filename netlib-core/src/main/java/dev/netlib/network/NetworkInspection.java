package dev.netlib.network;

import dev.netlib.value.IpAddresses;
import java.util.List;
import java.util.Map;

/** What {@code docker network inspect} shows: the definition and the endpoints with address and MAC. */
public record NetworkInspection(NetworkConfig config, Map<String, String> options, List<EndpointConfig> endpoints) {

    /** Docker's JSON layout, trimmed to what netlib knows. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  \"Name\": \"").append(config.name()).append("\",\n");
        sb.append("  \"Id\": \"").append(config.id()).append("\",\n");
        sb.append("  \"Scope\": \"local\",\n");
        sb.append("  \"Driver\": \"").append(config.driver().word()).append("\",\n");
        sb.append("  \"IPAM\": {\"Config\": [{\"Subnet\": \"").append(config.subnet()).append("\", \"Gateway\": \"")
                .append(IpAddresses.format(config.gateway())).append("\"}]},\n");
        sb.append("  \"Internal\": ").append(config.internal()).append(",\n");
        sb.append("  \"Containers\": {");
        for (int i = 0; i < endpoints.size(); i++) {
            EndpointConfig e = endpoints.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("    \"").append(e.id()).append("\": {\"Name\": \"").append(e.container()).append("\", \"MacAddress\": \"")
                    .append(e.mac()).append("\", \"IPv4Address\": \"").append(e.address()).append("\"");
            if (!e.aliases().isEmpty()) {
                sb.append(", \"Aliases\": ").append(quoted(e.aliases()));
            }
            if (!e.ports().isEmpty()) {
                sb.append(", \"Ports\": ").append(quoted(e.portSpecs()));
            }
            sb.append('}');
        }
        sb.append(endpoints.isEmpty() ? "},\n" : "\n  },\n");
        sb.append("  \"Options\": {");
        int i = 0;
        for (var o : options.entrySet()) {
            sb.append(i++ == 0 ? "\n" : ",\n").append("    \"").append(o.getKey()).append("\": \"").append(o.getValue()).append('"');
        }
        sb.append(options.isEmpty() ? "}\n" : "\n  }\n");
        sb.append("}");
        return sb.toString();
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return render();
    }
}

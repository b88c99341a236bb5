package dev.netlib.spi.nft;

/**
 * A named set or map of netlib's table (see {@link NftLayout}).
 *
 * @param name     the set's name in table {@value NftLayout#TABLE}
 * @param keyType  the key's nft type, e.g. {@code inet_proto . inet_service}
 * @param dataType the data's nft type for a map, null for a plain set
 * @param interval true for {@code flags interval} (ranges, e.g. a network, in keys)
 */
public record NftSet(String name, String keyType, String dataType, boolean interval) {

    /** True for a map (elements carry data). */
    public boolean isMap() {
        return dataType != null;
    }

    /** Equivalent to: {@code nft add map ip netlib NAME '{ type K : D; }'} (or {@code add set}). */
    public String addCommand() {
        String body = "{ type " + keyType + (isMap() ? " : " + dataType : "") + ";" + (interval ? " flags interval;" : "") + " }";
        return "nft add " + (isMap() ? "map" : "set") + " ip " + NftLayout.TABLE + " " + name + " " + NftCommands.quote(body);
    }
}

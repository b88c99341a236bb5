package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.*;

import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.spi.nft.NftElement;
import dev.netlib.spi.nft.NftLayout;

/**
 * Writes the set, map and element messages of netlib's layout as nft 1.0.6 does (attribute order
 * checked by the golden fixtures map-*, set-*, elem-*). Elements go one per message: a change of
 * one published port is one element message.
 */
final class NftSetMessages {
    private NftSetMessages() {}

    /** Equivalent to: {@code nft add map ip netlib NAME '{ type ... ; }'} (or {@code add set}). */
    static int newSet(MessageWriter w, NftSets s, int id, int flags) {
        int i = w.beginMessage(NftMessages.type(NFT_MSG_NEWSET), flags);
        NftMessages.nfgen(w, NFPROTO_IPV4, 0);
        w.attrString(NFTA_SET_TABLE, NftLayout.TABLE);
        w.attrString(NFTA_SET_NAME, s.set().name());
        w.attrU32Be(NFTA_SET_FLAGS, s.flags());
        w.attrU32Be(NFTA_SET_KEY_TYPE, s.keyType());
        w.attrU32Be(NFTA_SET_KEY_LEN, s.keyLen());
        if (s.dataLen() != 0) {
            w.attrU32Be(NFTA_SET_DATA_TYPE, s.dataType());
            w.attrU32Be(NFTA_SET_DATA_LEN, s.dataLen());
        }
        w.attrU32Be(NFTA_SET_ID, id);
        if (!s.fieldLengths().isEmpty()) {
            int desc = w.beginNested(NFTA_SET_DESC);
            int concat = w.beginNested(NFTA_SET_DESC_CONCAT);
            for (int len : s.fieldLengths()) {
                int elem = w.beginNested(NFTA_LIST_ELEM);
                w.attrU32Be(NFTA_SET_FIELD_LEN, len);
                w.endNested(elem);
            }
            w.endNested(concat);
            w.endNested(desc);
        }
        w.attrBytes(NFTA_SET_USERDATA, s.userdata());
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft delete set ip netlib NAME}; with NLM_F_NONREC the kernel refuses (EBUSY) while it holds elements. */
    static int delSet(MessageWriter w, NftSets s, int flags) {
        return setByName(w, NFT_MSG_DELSET, s, flags);
    }

    /** Equivalent to: {@code nft list set ip netlib NAME} (the set only; ENOENT if it does not exist). */
    static int getSet(MessageWriter w, NftSets s, int flags) {
        return setByName(w, NFT_MSG_GETSET, s, flags);
    }

    /** A message about one set of netlib's table, named by its name. */
    private static int setByName(MessageWriter w, int msg, NftSets s, int flags) {
        int i = w.beginMessage(NftMessages.type(msg), flags);
        NftMessages.nfgen(w, NFPROTO_IPV4, 0);
        w.attrString(NFTA_SET_TABLE, NftLayout.TABLE);
        w.attrString(NFTA_SET_NAME, s.set().name());
        w.endMessage();
        return i;
    }

    /**
     * Equivalent to: {@code nft add element ip netlib SET '{ KEY comment "RULE" : DATA }'}. netlib
     * sends NLM_F_EXCL so a key another rule holds fails with EEXIST (nft's own {@code add} does not).
     */
    static int newElement(MessageWriter w, NftElement e, int setId, int flags) {
        int i = w.beginMessage(NftMessages.type(NFT_MSG_NEWSETELEM), flags);
        header(w, e, setId);
        int list = w.beginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
        int elem = w.beginNested(NFTA_LIST_ELEM);
        key(w, e);
        if (!e.data().isEmpty()) {
            int data = w.beginNested(NFTA_SET_ELEM_DATA);
            w.attrBytes(NFTA_DATA_VALUE, NftValues.bytes(e.data(), false));
            w.endNested(data);
        }
        if (e.comment() != null) {
            w.attrBytes(NFTA_SET_ELEM_USERDATA, UserData.comment(e.comment()));
        }
        w.endNested(elem);
        w.endNested(list);
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft delete element ip netlib SET '{ KEY }'} (by key: ENOENT if absent). */
    static int delElement(MessageWriter w, NftElement e, int flags) {
        return keyOnly(w, NFT_MSG_DELSETELEM, e, flags);
    }

    /** Equivalent to: {@code nft get element ip netlib SET '{ KEY }'}: the element with its comment, or ENOENT. */
    static int getElement(MessageWriter w, NftElement e, int flags) {
        return keyOnly(w, NFT_MSG_GETSETELEM, e, flags);
    }

    /** A dump of every element of one set. Equivalent to: {@code nft list set ip netlib SET}. */
    static MessageWriter dumpElements(NftSets s) {
        MessageWriter w = new MessageWriter(128).nestedFlag(true);
        w.beginMessage(NftMessages.type(NFT_MSG_GETSETELEM), 0);
        NftMessages.nfgen(w, NFPROTO_IPV4, 0);
        w.attrString(NFTA_SET_ELEM_LIST_TABLE, NftLayout.TABLE);
        w.attrString(NFTA_SET_ELEM_LIST_SET, s.set().name());
        w.endMessage();
        return w;
    }

    private static int keyOnly(MessageWriter w, int msg, NftElement e, int flags) {
        int i = w.beginMessage(NftMessages.type(msg), flags);
        NftMessages.nfgen(w, NFPROTO_IPV4, 0);
        w.attrString(NFTA_SET_ELEM_LIST_TABLE, NftLayout.TABLE);
        w.attrString(NFTA_SET_ELEM_LIST_SET, e.set().name());
        int list = w.beginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
        int elem = w.beginNested(NFTA_LIST_ELEM);
        key(w, e);
        w.endNested(elem);
        w.endNested(list);
        w.endMessage();
        return i;
    }

    private static void header(MessageWriter w, NftElement e, int setId) {
        NftMessages.nfgen(w, NFPROTO_IPV4, 0);
        w.attrString(NFTA_SET_ELEM_LIST_TABLE, NftLayout.TABLE);
        w.attrString(NFTA_SET_ELEM_LIST_SET, e.set().name());
        w.attrU32Be(NFTA_SET_ELEM_LIST_SET_ID, setId);
    }

    private static void key(MessageWriter w, NftElement e) {
        int key = w.beginNested(NFTA_SET_ELEM_KEY);
        w.attrBytes(NFTA_DATA_VALUE, NftValues.bytes(e.key(), false));
        w.endNested(key);
        if (NftValues.hasRange(e.key())) {
            int end = w.beginNested(NFTA_SET_ELEM_KEY_END);
            w.attrBytes(NFTA_DATA_VALUE, NftValues.bytes(e.key(), true));
            w.endNested(end);
        }
    }
}

/**
 * Validated value types parsed from the strings users write: IP addresses and prefixes, MAC
 * addresses, interface and namespace names. Invalid input is an
 * {@link dev.netlib.error.InvalidConfigException} that says what is allowed.
 */
package dev.netlib.value;

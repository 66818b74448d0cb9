/**
 * DEFLATE compressors behind one interface: {@code java.util.zip} and the system zlib through the Foreign
 * Function and Memory API. Not exported: the extension package chooses one per connection.
 */
package dev.websock.codec.zlib;

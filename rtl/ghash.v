// ghash.v - the GHASH accumulator of a GCM engine (NIST SP 800-38D 6.4), the RTL twin of
// struct ghash in hwmodel/ghash.[ch].
//
// One 16-byte block per cycle. In a cycle with in_valid_i:
//   y_d = ((clear_i ? 0 : y_q) ^ in_data_i) * h_i     (GF(2^128), single cycle)
// with clear_i and no block y_d = 0, otherwise Y holds. The new Y is in y_q (y_o) the next cycle.
// y_d_o is y_d, combinational from the inputs (struct ghash.y_d, which the engine's tag XOR
// reads in the same cycle); y_o is the register (Moore).
//
// Bit order is the spec's: byte i of a block is bits [127-8i -: 8] (byte 0 first, as the C model),
// and byte 0 bit 7 (bit 127 here) is the coefficient of x^0, so x^j is bit 127-j. The field
// polynomial is x^128 + x^7 + x^2 + x + 1 (R = 0xe1 || 0^120).
module ghash (
  input  wire         clk_i,
  input  wire         rst_ni,
  input  wire [127:0] h_i,         // hash subkey H = E_K(0^128), stable during a job
  input  wire         clear_i,     // start a new hash: Y taken as 0
  input  wire         in_valid_i,
  input  wire [127:0] in_data_i,
  output wire [127:0] y_o,         // Y register (y_q)
  output wire [127:0] y_d_o        // next Y (y_d), combinational
);

  // SP 800-38D Algorithm 1: Z = 0, V = Y; for j = 0..127: if x_j then Z ^= V;
  // V = rightshift(V) ^ (V_127 ? R : 0). "Rightshift" moves x^j to x^(j+1): a plain >> 1 here.
  function [127:0] gf128_mul;
    input [127:0] x;
    input [127:0] y;
    reg   [127:0] z, v;
    integer j;
    begin
      z = 128'd0;
      v = y;
      for (j = 0; j < 128; j = j + 1) begin
        if (x[127 - j])
          z = z ^ v;
        v = {1'b0, v[127:1]} ^ (v[0] ? {8'he1, 120'd0} : 128'd0);
      end
      gf128_mul = z;
    end
  endfunction

  reg [127:0] y_q, y_d;

  always @* begin
    if (in_valid_i)
      y_d = gf128_mul((clear_i ? 128'd0 : y_q) ^ in_data_i, h_i);
    else if (clear_i)
      y_d = 128'd0;
    else
      y_d = y_q;
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)
      y_q <= 128'd0;
    else
      y_q <= y_d;
  end

  assign y_o   = y_q;
  assign y_d_o = y_d;

endmodule

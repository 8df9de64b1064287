# Small models for tests/cli/export_torch.sh: factories returning (model, example inputs).
import torch
import torch.nn as nn

def encoder():
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, batch_first=True)
    return nn.TransformerEncoder(layer, num_layers=2), torch.randn(2, 10, 64)

def transformer():
    torch.manual_seed(0)
    m = nn.Transformer(d_model=32, nhead=4, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=64)
    return m, (torch.randn(7, 2, 32), torch.randn(5, 2, 32))

def lstm():
    torch.manual_seed(0)
    return nn.LSTM(16, 32, num_layers=2), torch.randn(6, 3, 16)

def gru():
    torch.manual_seed(0)
    return nn.GRU(16, 32, bidirectional=True), torch.randn(6, 3, 16)

class Bmm(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(8, 4))
    def forward(self, x):
        return torch.einsum("bij,bjk->bik", x, x.transpose(1, 2)) @ torch.ones(3, 5, 2) 

def bmm():
    return Bmm(), torch.randn(3, 5, 8)

def rnn():
    torch.manual_seed(0)
    return nn.RNN(16, 32), torch.randn(6, 3, 16)
